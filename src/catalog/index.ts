/** The registry of market packs. */
import { UsageError } from '../domain/errors.js';
import { egyptCoffee } from './markets/egypt-coffee.js';
import { globalComponents } from './markets/global-components.js';
import { usElectronics } from './markets/us-electronics.js';
import { validateMarketPack } from './schema.js';
import type { MarketPack } from './types.js';

const PACKS: readonly MarketPack[] = [egyptCoffee, usElectronics, globalComponents];
export const MARKET_IDS = PACKS.map((m) => m.id);

/**
 * Each pack is checked the first time it is asked for, not at import: every command and server
 * imports the registry, most use one market, and checking all three cost about 0.1 s of each
 * process's start (a `generate --help` took 0.58 CPU s). A pack that breaks a rule still fails
 * before any of its data is used, naming the field, and the tests check every pack.
 */
const checked = new Set<string>();

export function getMarket(id: string): MarketPack {
  const market = PACKS.find((m) => m.id === id);
  if (!market) throw new UsageError(`unknown market '${id}'. Allowed: ${MARKET_IDS.join(', ')}`);
  if (!checked.has(id)) {
    validateMarketPack(market);
    checked.add(id);
  }
  return market;
}

/** Every pack, each checked. */
export function allMarkets(): readonly MarketPack[] {
  return MARKET_IDS.map(getMarket);
}
