/** The registry of market packs. */
import { UsageError } from '../domain/errors.js';
import { egyptCoffee } from './markets/egypt-coffee.js';
import { globalComponents } from './markets/global-components.js';
import { usElectronics } from './markets/us-electronics.js';
import { validateMarketPack } from './schema.js';
import type { MarketPack } from './types.js';

export const MARKETS: readonly MarketPack[] = [egyptCoffee, usElectronics, globalComponents].map(validateMarketPack);
export const MARKET_IDS = MARKETS.map((m) => m.id);

export function getMarket(id: string): MarketPack {
  const market = MARKETS.find((m) => m.id === id);
  if (!market) throw new UsageError(`unknown market '${id}'. Allowed: ${MARKET_IDS.join(', ')}`);
  return market;
}
