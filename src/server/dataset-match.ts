/**
 * Whether the dataset in the store was made by the live simulation's world: the same
 * products, customers, companies … under the same ids. The simulation writes orders that
 * refer to its own dimension rows by id; onto a dataset of another market (or seed, or a
 * scenario or volume with other entity counts) those ids mean other products and people,
 * and its orders would say "PROD-004 is a 4K Monitor at USD 399" where the store's PROD-004
 * is a bag of coffee in EGP. The check compares content, not remembered settings (a dataset
 * can come from the demo, a job, `generate --no-dry-run` or a previous server): every
 * product (a small table), and a fixed sample of the other dimension tables by primary key.
 * A row the store lacks is no difference: the simulation puts it back (ensureDimensions).
 */
import { getMarket, MARKET_IDS } from '../catalog/index.js';
import type { MarketPack } from '../catalog/types.js';
import { readDatasetInfo } from '../store/dataset-info.js';
import { tableOf } from '../store/schema.js';
import type { Queryable } from '../store/store.js';
import type { World } from '../simulation/world.js';

/** The fields that make a row what it is (not what changes while it lives: stock, timestamps). */
const SAMPLED = {
  customers: { key: 'customer_id', fields: ['full_name', 'email', 'phone', 'company_id'], label: 'full_name' },
  companies: { key: 'company_id', fields: ['name', 'tax_number', 'currency'], label: 'name' },
  users: { key: 'user_id', fields: ['full_name', 'email'], label: 'full_name' },
  branches: { key: 'branch_id', fields: ['company_id', 'name'], label: 'name' },
  suppliers: { key: 'supplier_id', fields: ['name', 'email'], label: 'name' },
} as const;
type Sampled = keyof typeof SAMPLED;
const SINGULAR: Record<Sampled, string> = { customers: 'customer', companies: 'company', users: 'user', branches: 'branch', suppliers: 'supplier' };

/** How many rows of each sampled table are compared: the first few, then spread evenly to the last. */
const SAMPLE = 16;

function sampleIndices(n: number): number[] {
  if (n <= SAMPLE) return Array.from({ length: n }, (_, i) => i);
  const out = new Set([0, 1, 2, 3, n - 1]);
  for (let k = 0; out.size < SAMPLE && k < SAMPLE; k++) out.add(Math.floor(((k + 1) * (n - 1)) / (SAMPLE + 1)));
  return [...out].sort((a, b) => a - b);
}

/** "an egypt-coffee", "a us-electronics", "a global-components". */
const article = (word: string) => (/^[aeio]/.test(word) ? 'an' : 'a');

const money = (currency: string, price: number) => `${currency} ${price.toFixed(2)}`;

/** The rows of the store's products that differ from the world's, or are not the world's at all. */
async function productDifferences(db: Queryable, world: World): Promise<{ differ: string[]; storeProducts: Array<{ name: string; currency: string }> }> {
  const { rows } = await db.query<{ product_id: string; name: string; currency: string; unit_price: number }>(
    `SELECT product_id, name, currency, unit_price::float8 AS unit_price FROM ${tableOf('products')} ORDER BY product_id`,
  );
  const ours = new Map(world.dims.products.map((p) => [p.product_id, p]));
  /** e.g. `product PROD-004 is "Premium …" (EGP 450.00) in the store, "4K Monitor" (USD 399.99) in this simulation` */
  const differ: string[] = [];
  for (const r of rows) {
    const p = ours.get(r.product_id);
    const there = `"${r.name}" (${money(r.currency, Number(r.unit_price))})`;
    if (!p) differ.push(`product ${r.product_id} is ${there} in the store, and this simulation has no such product (it has ${ours.size})`);
    else if (p.name !== r.name || p.currency !== r.currency || Math.abs(p.unit_price - Number(r.unit_price)) >= 0.005)
      differ.push(`product ${r.product_id} is ${there} in the store, "${p.name}" (${money(p.currency, p.unit_price)}) in this simulation`);
  }
  return { differ, storeProducts: rows };
}

/** The first sampled row of the other dimension tables that the store holds with other content: one statement for all of them. */
async function sampledDifference(db: Queryable, world: World): Promise<string | null> {
  const entities = Object.keys(SAMPLED) as Sampled[];
  const samples = entities.map((entity) => {
    const table = world.dims[entity] as unknown as Array<Record<string, unknown>>;
    return sampleIndices(table.length).map((i) => table[i]);
  });
  const sql = entities
    .map((entity, k) => {
      const { key, fields, label } = SAMPLED[entity];
      return `SELECT '${entity}' AS entity, ${key} AS id, ${label} AS label, json_build_array(${fields.join(', ')}) AS v FROM ${tableOf(entity)} WHERE ${key} = ANY($${k + 1}::text[])`;
    })
    .join(' UNION ALL ');
  const { rows } = await db.query<{ entity: Sampled; id: string; label: string; v: unknown[] | string }>(
    sql,
    entities.map((entity, k) => samples[k].map((r) => String(r[SAMPLED[entity].key]))),
  );
  const stored = new Map(rows.map((r) => [`${r.entity}:${r.id}`, r]));
  for (const [k, entity] of entities.entries()) {
    const { key, fields, label } = SAMPLED[entity];
    for (const ours of samples[k]) {
      const r = stored.get(`${entity}:${String(ours[key])}`);
      if (!r) continue;
      const values = typeof r.v === 'string' ? (JSON.parse(r.v) as unknown[]) : r.v;
      if (fields.some((f, i) => (values[i] ?? null) !== (ours[f] ?? null)))
        return `${SINGULAR[entity]} ${String(ours[key])} is "${r.label}" in the store, "${String(ours[label])}" in this simulation`;
    }
  }
  return null;
}

/** The market whose catalog names the store's products, if one does. */
function marketOf(products: Array<{ name: string; currency: string }>): MarketPack | null {
  if (!products.length) return null;
  for (const id of MARKET_IDS) {
    const m = getMarket(id);
    if (products.some((p) => p.currency !== m.currency)) continue;
    const names = new Set<string>();
    for (const cat of m.products.categories)
      for (const item of cat.items) {
        if (!cat.variants.length) names.add(item.en);
        for (const v of cat.variants) names.add(`${item.en} ${v.en}`);
      }
    if (products.every((p) => names.has(p.name))) return m;
  }
  return null;
}

/**
 * Null when the store's dimension rows are the simulation's world's (or missing: it writes
 * them); otherwise why the simulation must not write its orders there, what differs and what
 * to do, for the log, the health reports and the system channel.
 */
export async function foreignDataset(db: Queryable, world: World): Promise<string | null> {
  // Issued together: on PostgreSQL they run side by side, on the embedded database back to back without a round trip between.
  const [products, sampled] = await Promise.all([productDifferences(db, world), sampledDifference(db, world)]);
  const first = products.differ[0] ?? sampled;
  if (!first) return null;

  const here = { market: world.market.id, scenario: world.scenario.name, seed: world.config.seed };
  const info = await readDatasetInfo(db);
  const storeMarket = marketOf(products.storeProducts);
  // What the store says it holds counts only when its content agrees (a cleanup leaves the note, a server writing onto an empty store adds none).
  const known = info && (storeMarket ? info.market === storeMarket.id : info.market !== here.market) && !(info.market === here.market && info.scenario === here.scenario && info.seed === here.seed) ? info : null;
  const market = known?.market ?? storeMarket?.id ?? null;
  // Its record says this market, scenario and seed, and the products agree: what differs is the volume multiplier (a job's), which serve does not take.
  const sameSettings = info !== null && !known && info.market === here.market && info.scenario === here.scenario && info.seed === here.seed && storeMarket?.id === here.market;
  const made = sameSettings
    ? `${article(here.market)} ${here.market} dataset of this scenario and seed made at another volume multiplier (a job's volumeMultiplier; serve simulates at 1)`
    : known
    ? `${article(known.market)} ${known.market} dataset (scenario ${known.scenario}, seed ${known.seed})`
    : market && market !== here.market
      ? `${article(market)} ${market} dataset`
      : market === here.market
        ? `${article(market)} ${market} dataset made with other settings (another seed, scenario or volume multiplier)`
        : 'a dataset made with other settings';
  const others = products.differ.length > 1 ? ` (and ${products.differ.length - 1} more of its products differ)` : '';
  const matching = sameSettings
    ? 'regenerate it at multiplier 1'
    : known
    ? `start with the settings that made it (--market ${known.market} --scenario ${known.scenario} --seed ${known.seed})`
    : market && market !== here.market
      ? `start with --market ${market} and the scenario and seed that made it`
      : 'start with the --market, --scenario and --seed that made it';
  return (
    `the store holds ${made}; this simulation is ${here.market} (scenario ${here.scenario}, seed ${here.seed}): ${first}${others}. ` +
    'The simulation streams on but does not write to the store (its orders would point at ids that name other products and customers there). ' +
    `To write through, ${matching}, empty the store with \`orderstream cleanup --confirm\` (deletes its data), or use another ORDERSTREAM_DATA_DIR (or DATABASE_URL)`
  );
}
