/** Asks the server once which market its data is in; every time shown is in that market's zone from then on (lib/format.ts). */
import type { MarketInfo } from '../../../src/domain/web-api.js';
import { api } from './api.js';
import { setMarket } from './format.js';

export const marketReady: Promise<void> = api<MarketInfo>('/api/market').then(setMarket, () => undefined);
