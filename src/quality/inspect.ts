/**
 * A data-quality report over a dataset: what a user runs before trusting one, and what the
 * tests run on every market and scenario. Per-entity counts; distributions (orders by local
 * hour and weekday, lines and units per order, order value by customer segment);
 * duplicates (ids, emails, company names); and coherence — whether each record survives a
 * domain expert's second look:
 *
 *   company_segment   a company's name says what it is (a café is not called "… Hotel")
 *   company_location  a place in a company's name is where the company is
 *   email_name        a customer's email is made of their own name
 *   email_unique      no two customers share an email
 *   unit_pack         a product's unit names its pack ("250 g bag" for "… 250 g")
 *   pack_price        a bigger pack of an item costs more in total and no more per unit
 *
 * `DatasetInspector` takes rows as they come (from files, or from the in-process engine);
 * `inspectDir` feeds it a directory written by `orderstream generate --out`.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CompanyRecord, CustomerRecord, EntityName, OrderItemRecord, OrderRecord, ProductRecord } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';

/** What a market says is coherent (the CLI builds it from the market pack). */
export interface CoherenceRules {
  /** The words that name each segment's businesses ("cafe": ["Coffee House", "Roastery", …]). */
  segmentWords: Record<string, string[]>;
  /** Every city, area and region name of the market. */
  placeNames: string[];
}

export interface InspectOptions {
  /** Local time of the market: hours and weekdays are counted in it. */
  utcOffsetMinutes: number;
  rules: CoherenceRules | null;
}

export interface ValueStats {
  orders: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface CoherenceCheck {
  check: string;
  rows: number;
  violations: number;
}

export interface Violation {
  check: string;
  id: string;
  detail: string;
}

export interface InspectReport {
  counts: Record<string, number>;
  distributions: {
    /** Orders per local hour (0–23). */
    hourOfDay: number[];
    /** Orders per local weekday (0 = Sunday). */
    weekday: number[];
    /** Orders by number of lines. */
    lines: Record<string, number>;
    /** Order lines by units, for private customers and businesses. */
    unitsB2c: Record<string, number>;
    unitsB2b: Record<string, number>;
    /** Order value (total_amount) by the customer's segment ("private" for households). */
    orderValueBySegment: Record<string, ValueStats>;
  };
  duplicates: Record<string, number>;
  coherence: CoherenceCheck[];
  violations: Violation[];
  /** Violations beyond those listed. */
  more: number;
  ok: boolean;
}

const MAX_LISTED = 50;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordRe = (w: string) => new RegExp(`(^|[^A-Za-z])${escape(w)}($|[^A-Za-z])`);

/** A pack as a product name states it: "250 g", "1 L", "Case of 12", "Carton of 6", "Single pack". */
export function packOf(name: string): { label: string; base: string; measure: number; dimension: string } | null {
  const count = /\b(?:case|carton|pack|box) of (\d+)\b/i.exec(name);
  if (count) return { label: count[0], base: name.replace(count[0], '').replace(/\s+/g, ' ').trim(), measure: Number(count[1]), dimension: 'count' };
  const single = /\bsingle pack\b/i.exec(name);
  if (single) return { label: 'pack', base: name.replace(single[0], '').replace(/\s+/g, ' ').trim(), measure: 1, dimension: 'count' };
  const sizes = [...name.matchAll(/(\d+(?:\.\d+)?) ?(g|kg|ml|L)\b/g)];
  const last = sizes[sizes.length - 1];
  if (!last || last.index! + last[0].length < name.trimEnd().length - 12) return null; // a size inside the item's name, not its pack
  const factor = { g: 1, kg: 1000, ml: 1, L: 1000 }[last[2] as 'g' | 'kg' | 'ml' | 'L'];
  const base = (name.slice(0, last.index) + name.slice(last.index! + last[0].length)).replace(/\s+/g, ' ').trim();
  return { label: last[0], base, measure: Number(last[1]) * factor, dimension: last[2] === 'g' || last[2] === 'kg' ? 'mass' : 'volume' };
}

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export class DatasetInspector {
  private readonly counts: Record<string, number> = {};
  private readonly hour = new Array<number>(24).fill(0);
  private readonly weekday = new Array<number>(7).fill(0);
  private readonly lines = new Map<number, number>();
  private readonly unitsB2c = new Map<number, number>();
  private readonly unitsB2b = new Map<number, number>();
  private readonly values = new Map<string, number[]>();
  private readonly segmentOf = new Map<string, string>();
  private readonly businessOrder = new Map<string, boolean>();
  private readonly orderIds = new Set<string>();
  private readonly checks = new Map<string, CoherenceCheck>();
  private readonly duplicates: Record<string, number> = { order_id: 0, customer_email: 0, company_name: 0, customer_id: 0, product_id: 0 };
  private readonly violations: Violation[] = [];
  private more = 0;
  private readonly places: Array<{ name: string; re: RegExp }>;
  private readonly segmentRes: Map<string, RegExp[]>;

  constructor(private readonly options: InspectOptions) {
    const rules = options.rules;
    this.places = rules ? [...new Set(rules.placeNames)].sort((a, b) => b.length - a.length).map((name) => ({ name, re: wordRe(name) })) : [];
    this.segmentRes = new Map(rules ? Object.entries(rules.segmentWords).map(([s, words]) => [s, words.map(wordRe)]) : []);
    for (const c of ['company_segment', 'company_location', 'email_name', 'email_unique', 'unit_pack', 'pack_price']) this.check(c);
  }

  private check(name: string): CoherenceCheck {
    let c = this.checks.get(name);
    if (!c) this.checks.set(name, (c = { check: name, rows: 0, violations: 0 }));
    return c;
  }

  private fail(check: string, id: string, detail: string): void {
    this.check(check).violations++;
    if (this.violations.length < MAX_LISTED) this.violations.push({ check, id, detail });
    else this.more++;
  }

  count(entity: string, n: number): void {
    this.counts[entity] = (this.counts[entity] ?? 0) + n;
  }

  companies(rows: readonly CompanyRecord[]): void {
    this.count('companies', rows.length);
    const names = new Set<string>();
    for (const c of rows) {
      this.segmentOf.set(c.company_id, c.segment);
      if (names.has(c.name)) this.duplicates.company_name++;
      names.add(c.name);
      if (!this.options.rules) continue;
      // What it is: its own segment's word, and no other segment's.
      const seg = this.check('company_segment');
      seg.rows++;
      const own = this.segmentRes.get(c.segment) ?? [];
      if (!own.some((re) => re.test(c.name))) this.fail('company_segment', c.company_id, `"${c.name}" does not say it is a ${c.segment}`);
      else {
        for (const [other, res] of this.segmentRes) {
          if (other !== c.segment && res.some((re) => re.test(c.name)) && !own.some((re) => re.test(c.name))) this.fail('company_segment', c.company_id, `"${c.name}" (${c.segment}) reads as a ${other}`);
        }
      }
      // Where it is: any place left in the name once its own city and area are taken out.
      const loc = this.check('company_location');
      loc.rows++;
      let rest = c.name;
      for (const own of [c.area, c.city].sort((a, b) => b.length - a.length)) rest = rest.replace(wordRe(own), '$1 $2');
      const elsewhere = this.places.find((p) => p.re.test(rest));
      if (elsewhere) this.fail('company_location', c.company_id, `"${c.name}" names ${elsewhere.name} but is in ${c.area}, ${c.city}`);
    }
  }

  customers(rows: readonly CustomerRecord[]): void {
    this.count('customers', rows.length);
    const ids = new Set<string>();
    const emails = new Set<string>();
    for (const c of rows) {
      if (ids.has(c.customer_id)) this.duplicates.customer_id++;
      ids.add(c.customer_id);
      this.segmentOf.set(c.customer_id, c.company_id ? (this.segmentOf.get(c.company_id) ?? 'business') : 'private');
      const unique = this.check('email_unique');
      unique.rows++;
      if (emails.has(c.email)) {
        this.duplicates.customer_email++;
        this.fail('email_unique', c.customer_id, `${c.email} is another customer's email`);
      }
      emails.add(c.email);
      const named = this.check('email_name');
      named.rows++;
      const local = slug(c.email.split('@')[0]);
      const first = slug(c.first_name);
      const last = slug(c.last_name);
      if (!(local.includes(first) || local.includes(last))) this.fail('email_name', c.customer_id, `${c.email} is not made of ${c.full_name}`);
    }
  }

  products(rows: readonly ProductRecord[]): void {
    this.count('products', rows.length);
    const groups = new Map<string, Array<{ p: ProductRecord; measure: number }>>();
    const ids = new Set<string>();
    for (const p of rows) {
      if (ids.has(p.product_id)) this.duplicates.product_id++;
      ids.add(p.product_id);
      const pack = packOf(p.name);
      if (!pack) continue;
      const unit = this.check('unit_pack');
      unit.rows++;
      if (!p.unit.toLowerCase().includes(pack.label.toLowerCase())) this.fail('unit_pack', p.product_id, `"${p.name}" is sold by the "${p.unit}"`);
      const key = `${p.category}|${pack.base}|${pack.dimension}`;
      groups.set(key, [...(groups.get(key) ?? []), { p, measure: pack.measure }]);
    }
    for (const members of groups.values()) {
      members.sort((a, b) => a.measure - b.measure);
      for (let k = 1; k < members.length; k++) {
        const small = members[k - 1];
        const big = members[k];
        if (big.measure === small.measure) continue;
        const c = this.check('pack_price');
        c.rows++;
        const perUnitSmall = small.p.unit_price / small.measure;
        const perUnitBig = big.p.unit_price / big.measure;
        if (big.p.unit_price < small.p.unit_price) this.fail('pack_price', big.p.product_id, `"${big.p.name}" costs ${big.p.unit_price}, less than "${small.p.name}" at ${small.p.unit_price}`);
        else if (perUnitBig > perUnitSmall + 0.01 / small.measure) this.fail('pack_price', big.p.product_id, `"${big.p.name}" costs more per unit than "${small.p.name}"`);
      }
    }
  }

  orders(rows: readonly OrderRecord[]): void {
    this.count('orders', rows.length);
    const offset = this.options.utcOffsetMinutes * 60_000;
    for (const o of rows) {
      if (this.orderIds.has(o.order_id)) this.duplicates.order_id++;
      this.orderIds.add(o.order_id);
      const local = Date.parse(o.order_date) + offset;
      this.hour[Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS)]++;
      this.weekday[(((Math.floor(local / DAY_MS) + 4) % 7) + 7) % 7]++;
      this.lines.set(o.items_count, (this.lines.get(o.items_count) ?? 0) + 1);
      const segment = o.company_id ? (this.segmentOf.get(o.company_id) ?? 'business') : 'private';
      this.businessOrder.set(o.order_id, o.company_id !== null);
      const list = this.values.get(segment) ?? [];
      list.push(o.total_amount);
      this.values.set(segment, list);
    }
  }

  orderItems(rows: readonly OrderItemRecord[]): void {
    this.count('order_items', rows.length);
    for (const it of rows) {
      const business = this.businessOrder.get(it.order_id);
      const into = business ? this.unitsB2b : this.unitsB2c;
      into.set(it.quantity, (into.get(it.quantity) ?? 0) + 1);
    }
  }

  report(): InspectReport {
    const byKey = (m: Map<number, number>) => Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
    const orderValueBySegment: Record<string, ValueStats> = {};
    for (const [segment, list] of [...this.values.entries()].sort()) {
      const sorted = Float64Array.from(list).sort();
      const sum = list.reduce((a, b) => a + b, 0);
      const r = (x: number) => Math.round(x * 100) / 100;
      orderValueBySegment[segment] = { orders: list.length, mean: r(sum / Math.max(1, list.length)), p50: quantile(Array.from(sorted), 0.5), p90: quantile(Array.from(sorted), 0.9), p99: quantile(Array.from(sorted), 0.99), max: sorted[sorted.length - 1] ?? 0 };
    }
    const coherence = [...this.checks.values()];
    const duplicates = { ...this.duplicates };
    return {
      counts: { ...this.counts },
      distributions: { hourOfDay: [...this.hour], weekday: [...this.weekday], lines: byKey(this.lines), unitsB2c: byKey(this.unitsB2c), unitsB2b: byKey(this.unitsB2b), orderValueBySegment },
      duplicates,
      coherence,
      violations: [...this.violations],
      more: this.more,
      ok: coherence.every((c) => c.violations === 0) && Object.values(duplicates).every((n) => n === 0),
    };
  }
}

/** Every record of an NDJSON file (or of a JSON array file), in batches. */
async function* batches<T>(file: string, size = 5000): AsyncGenerator<T[]> {
  if (file.endsWith('.json')) {
    const all = JSON.parse(await readFile(file, 'utf8')) as T[];
    for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
    return;
  }
  let batch: T[] = [];
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.length) continue;
    batch.push(JSON.parse(line) as T);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

export interface DatasetManifest {
  market: string | null;
  scenario: string | null;
  format: string;
  files: Array<{ file: string; records: number }>;
}

export async function readDatasetManifest(dir: string): Promise<DatasetManifest> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new UsageError(`${dir} is not a directory; give the directory \`orderstream generate --out\` wrote`);
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => null);
  if (text === null) throw new UsageError(`${dir} has no manifest.json: it was not written by orderstream generate --out`);
  const m = JSON.parse(text) as { market?: string; scenario?: string; format?: string; files?: Array<{ file: string; records: number }> };
  const format = m.format ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'json') throw new UsageError(`${dir} is ${format.toUpperCase()}; inspect reads NDJSON or JSON datasets (generate with --format ndjson)`);
  return { market: m.market ?? null, scenario: m.scenario ?? null, format, files: m.files ?? [] };
}

/** Inspects a dataset directory written by `orderstream generate --out`. */
export async function inspectDir(dir: string, options: InspectOptions): Promise<InspectReport & { dir: string; market: string | null; scenario: string | null }> {
  const manifest = await readDatasetManifest(dir);
  const ext = manifest.format === 'json' ? 'json' : 'ndjson';
  const file = (name: EntityName) => join(dir, `${name}.${ext}`);
  const exists = async (name: EntityName) => (await stat(file(name)).catch(() => null)) !== null;
  const inspector = new DatasetInspector(options);
  // Companies before customers (their segments), customers before orders, orders before their lines.
  const ordered: EntityName[] = ['companies', 'customers', 'products', 'orders', 'order_items'];
  for (const name of ordered) {
    if (!(await exists(name))) continue;
    for await (const rows of batches<never>(file(name))) {
      if (name === 'companies') inspector.companies(rows);
      else if (name === 'customers') inspector.customers(rows);
      else if (name === 'products') inspector.products(rows);
      else if (name === 'orders') inspector.orders(rows);
      else inspector.orderItems(rows);
    }
  }
  const report = inspector.report();
  for (const f of manifest.files) {
    const entity = f.file.replace(/\.[a-z]+$/, '');
    if (!(entity in report.counts)) report.counts[entity] = f.records;
  }
  return { dir, market: manifest.market, scenario: manifest.scenario, ...report };
}
