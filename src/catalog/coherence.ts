/** What a market pack says is coherent, for the data-quality report (quality/inspect.ts). */
import type { MarketPack } from './types.js';

export function coherenceRules(market: MarketPack): { segmentWords: Record<string, string[]>; placeNames: string[] } {
  const placeNames = new Set<string>();
  for (const region of market.geography.regions) {
    for (const place of region.places) {
      placeNames.add(place.city.en);
      placeNames.add(place.stateName.en);
      for (const area of place.areas) placeNames.add(area.en);
    }
  }
  return {
    segmentWords: Object.fromEntries(market.companies.naming.map((n) => [n.segment, n.words.map((w) => w.en)])),
    placeNames: [...placeNames].sort(),
  };
}
