/**
 * The tables that exist before the first order: users, companies, branches, customers,
 * suppliers and products. Built from their own named random streams, so every worker
 * rebuilds exactly the same tables from the seed instead of receiving them.
 */
import type { CompanySuffix, FirstName, LastName, MarketPack, Place, SalesRegion, Term } from '../catalog/types.js';
import { USER_ROLES } from '../domain/entities.js';
import type {
  BranchRecord,
  CompanyRecord,
  CustomerRecord,
  ProductRecord,
  SupplierRecord,
  UserRecord,
  UserRole,
} from '../domain/entities.js';
import type { ScenarioProfile } from '../domain/scenario.js';
import { AliasTable, apportion, calibrateZipfExponent, zipfWeights } from '../random/distributions.js';
import { Rng } from '../random/rng.js';
import { customerId, padded } from './ids.js';
import { lineQuantityMoments, productPolicy } from './policy.js';
import { DAY_MS, iso, round2 } from './time.js';

/** spec 002's role mix. */
export const ROLE_SHARES: Record<UserRole, number> = { admin: 0.05, manager: 0.15, sales: 0.5, support: 0.3 };

export interface Location {
  region: SalesRegion;
  place: Place;
  area: Place['areas'][number];
}

export interface Dimensions {
  users: UserRecord[];
  companies: CompanyRecord[];
  branches: BranchRecord[];
  customers: CustomerRecord[];
  suppliers: SupplierRecord[];
  products: ProductRecord[];
  usersByRole: Record<UserRole, UserRecord[]>;
  branchesByCompany: Map<string, BranchRecord[]>;
  companyById: Map<string, CompanyRecord>;
  /** Zipf weight per product (index-aligned with products): the 80/20 popularity. */
  productWeights: number[];
  /** Per product, the product a private customer buys instead: the smallest non-trade pack of the same item (itself if none). */
  retailSibling: Int32Array;
  /** Per product, the price range its category allows for its pack (order prices vary inside it). */
  priceBounds: Array<readonly [number, number]>;
  zipfExponent: number;
}

export interface DimensionParams {
  seed: number;
  multiplier: number;
  startMs: number;
  market: MarketPack;
  scenario: ScenarioProfile;
}

/**
 * normalize() returns a two-byte string even when every character is ASCII, and so did every
 * email built from it. JSON.stringify switches its whole output to two-byte text at the
 * first such string (every order holds its customer's email): twice the memory and a slower
 * UTF-8 pass for the orders file. fromCharCode gives the same characters, stored one-byte.
 */
const slug = (s: string) => String.fromCharCode(...Array.from(s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, ''), (c) => c.charCodeAt(0)));

export class LocationPicker {
  private readonly regions: AliasTable<SalesRegion>;
  private readonly places = new Map<SalesRegion, AliasTable<Place>>();
  constructor(market: MarketPack) {
    this.regions = AliasTable.of(market.geography.regions.map((r) => ({ value: r, weight: r.weight })));
    for (const r of market.geography.regions) this.places.set(r, AliasTable.of(r.places.map((p) => ({ value: p, weight: p.weight }))));
  }
  pick(rng: Rng): Location {
    const region = this.regions.sample(rng);
    const place = this.places.get(region)!.sample(rng);
    return { region, place, area: rng.pick(place.areas) };
  }
}

const namePools = new WeakMap<MarketPack, { first: AliasTable<FirstName>; last: AliasTable<LastName> }>();

/** A person's name, drawn by each name's frequency in the market's population. */
export function personName(rng: Rng, market: MarketPack) {
  let pools = namePools.get(market);
  if (!pools) {
    pools = {
      first: new AliasTable(market.people.firstNames, market.people.firstNames.map((n) => n.weight ?? 1)),
      last: new AliasTable(market.people.lastNames, market.people.lastNames.map((n) => n.weight ?? 1)),
    };
    namePools.set(market, pools);
  }
  const first = pools.first.sample(rng);
  const last = pools.last.sample(rng);
  return {
    first: first.en,
    last: last.en,
    full: `${first.en} ${last.en}`,
    fullAr: market.bilingual && first.ar && last.ar ? `${first.ar} ${last.ar}` : null,
  };
}

export function streetAddress(rng: Rng, market: MarketPack): string {
  const g = market.geography;
  const street = rng.pick(g.streets).en;
  const suffix = g.streetSuffixes.length ? ` ${rng.pick(g.streetSuffixes)}` : '';
  return `${rng.int(g.buildingNumber[0], g.buildingNumber[1])} ${street}${suffix}`;
}

/** The site fields of a company or branch (draws: street address, then phone). */
function site(rng: Rng, market: MarketPack, loc: Location) {
  return {
    region: loc.region.name,
    city: loc.place.city.en,
    state: loc.place.state,
    area: loc.area.en,
    address: `${streetAddress(rng, market)}, ${loc.area.en}, ${loc.place.city.en}`,
    delivery_region: loc.place.deliveryRegion,
    phone: rng.digits(rng.pick(market.phonePatterns)),
  };
}

/**
 * An address made of the person's own name (first.last, firstlast, f.last, first_last,
 * lastfirst, first.last + birth year digits), unique within `taken`: a second Ahmed Hassan
 * gets another style or a number, never someone else's address.
 */
function email(rng: Rng, market: MarketPack, first: string, last: string, taken: Set<string>): string {
  const f = slug(first) || 'user';
  const l = slug(last) || 'mail';
  const style = rng.int(0, 5);
  const domain = rng.pick(market.emailDomains);
  const styles = [`${f}.${l}`, `${f}${l}`, `${f[0]}.${l}`, `${f}_${l}`, `${l}${f}`, `${f}.${l}${rng.int(60, 99)}`];
  for (let k = 0; k < styles.length; k++) {
    const address = `${styles[(style + k) % styles.length]}@${domain}`;
    if (!taken.has(address)) {
      taken.add(address);
      return address;
    }
  }
  for (let n = 2; ; n++) {
    const address = `${f}.${l}${n}@${domain}`;
    if (!taken.has(address)) {
      taken.add(address);
      return address;
    }
  }
}

function buildUsers(p: DimensionParams): UserRecord[] {
  const rng = Rng.derive(p.seed, 'users');
  const count = Math.max(4, Math.round(p.scenario.entityVolumes.users * p.multiplier));
  const counts = apportion(count, USER_ROLES.map((r) => ROLE_SHARES[r]));
  const roles = rng.shuffle(USER_ROLES.flatMap((role, i) => Array<UserRole>(counts[i]).fill(role)));
  const taken = new Set<string>();
  return roles.map((role, i) => {
    const name = personName(rng, p.market);
    return {
      user_id: padded('USR-', i + 1, 4),
      full_name: name.full,
      full_name_ar: name.fullAr,
      email: email(rng, p.market, name.first, name.last, taken),
      phone: rng.digits(rng.pick(p.market.phonePatterns)),
      role,
      active: rng.chance(0.95),
      created_at: iso(p.startMs - rng.int(30, 1500) * DAY_MS - rng.int(0, 86_399) * 1000),
    };
  });
}

/** Arabic word order: head nouns lead ("مطعم النيل", Nile Restaurant); "للتجارة" (Trading Co.) follows. */
function arabicName(words: Term[], type: CompanySuffix): string {
  const ar = (t: Term) => t.ar ?? t.en;
  return (type.arLeads ? [type, ...words] : [...words, type]).map(ar).join(' ');
}

/**
 * A company's name from what it is and where it is: `[brand | its own area or city] [a type
 * word of its segment] [legal form]`. A café is a "Coffee House" or a "Roastery", never a
 * "Hotel"; a place in the name is the company's own ("Zamalek Coffee House" is in Zamalek).
 * Names are unique: a taken name gets another brand, then its area.
 */
function companyName(rng: Rng, m: MarketPack, segment: string, loc: Location, country: string, taken: Set<string>): { en: string; ar: string | null } {
  const c = m.companies;
  const naming = c.naming.find((n) => n.segment === segment) ?? c.naming[0];
  const legalForms = naming.legalForms ?? c.legalFormsByCountry?.[country] ?? c.legalForms;
  const type = rng.pick(naming.words);
  const legal = legalForms.length ? rng.pick(legalForms) : null;
  const build = (words: Term[]) => {
    const en = [...words.map((w) => w.en), type.en, legal?.en].filter(Boolean).join(' ');
    const ar = m.bilingual ? arabicName(words, type) : null;
    return { en, ar };
  };
  const place: Term = rng.chance(0.5) && naming.place !== 'city' ? loc.area : loc.place.city;
  let name = rng.chance(naming.placeShare) ? build([place]) : build(c.brandCores.length && rng.chance(0.4) ? [rng.pick(c.brandWords), rng.pick(c.brandCores)] : [rng.pick(c.brandWords)]);
  for (let k = 0; k < 6 && taken.has(name.en); k++) name = build(c.brandCores.length ? [rng.pick(c.brandWords), rng.pick(c.brandCores)] : [rng.pick(c.brandWords)]);
  if (taken.has(name.en)) name = build([rng.pick(c.brandWords), loc.area]);
  for (let n = 2; taken.has(name.en); n++) name = build([{ en: `${rng.pick(c.brandWords).en} ${n}` }, loc.area]);
  taken.add(name.en);
  return name;
}

function buildCompanies(p: DimensionParams, users: Record<UserRole, UserRecord[]>, locations: LocationPicker): CompanyRecord[] {
  const rng = Rng.derive(p.seed, 'companies');
  const c = p.market.companies;
  const count = Math.max(1, Math.round(p.scenario.entityVolumes.companies * p.multiplier * p.scenario.volume.companyFactor));
  const segments = AliasTable.of(c.segments);
  const terms = AliasTable.of(c.paymentTerms);
  const managers = users.sales.length ? users.sales : users.manager;
  const taken = new Set<string>();
  const out: CompanyRecord[] = [];
  for (let i = 0; i < count; i++) {
    const segment = segments.sample(rng);
    const loc = locations.pick(rng);
    const name = companyName(rng, p.market, segment, loc, loc.place.country, taken);
    const paymentTerms = terms.sample(rng);
    const monthly = paymentTerms !== 'prepaid' && paymentTerms !== 'net_15' && rng.chance(c.monthlyCycleShare);
    out.push({
      company_id: padded('COMP-', i + 1, 5),
      name: name.en,
      name_ar: name.ar,
      segment,
      tax_number: rng.digits(c.taxNumberPattern),
      commercial_register: rng.digits(c.commercialRegisterPattern),
      ...site(rng, p.market, loc),
      email: `orders.${slug(name.en).slice(0, 24)}@${rng.pick(p.market.emailDomains)}`,
      payment_terms: paymentTerms,
      payment_cycle: monthly ? 'monthly' : 'per_order',
      payment_cycle_day: monthly ? rng.int(1, 28) : null,
      credit_limit: round2(Math.round(rng.range(c.creditLimitRange[0], c.creditLimitRange[1]) / 1000) * 1000),
      currency: p.market.currency,
      account_manager_id: rng.pick(managers).user_id,
      created_at: iso(p.startMs - rng.int(60, 2500) * DAY_MS - rng.int(0, 86_399) * 1000),
    });
  }
  return out;
}

function buildBranches(p: DimensionParams, companies: CompanyRecord[], locations: LocationPicker): BranchRecord[] {
  const rng = Rng.derive(p.seed, 'branches');
  const withBranches = Math.round(companies.length * p.scenario.entityVolumes.branchRatio);
  const chosen = rng.shuffle(companies.map((_, i) => i)).slice(0, withBranches).sort((a, b) => a - b);
  const out: BranchRecord[] = [];
  for (const ci of chosen) {
    const company = companies[ci];
    const n = rng.int(1, 3);
    for (let b = 0; b < n; b++) {
      const loc = locations.pick(rng);
      out.push({
        branch_id: padded('BR-', out.length + 1, 5),
        company_id: company.company_id,
        name: `${company.name} – ${loc.area.en}`,
        name_ar: company.name_ar && loc.area.ar ? `${company.name_ar} – ${loc.area.ar}` : null,
        ...site(rng, p.market, loc),
        opened_at: iso(Date.parse(company.created_at) + rng.int(30, 900) * DAY_MS),
      });
    }
  }
  return out;
}

function buildCustomers(
  p: DimensionParams,
  companies: CompanyRecord[],
  branchesByCompany: Map<string, BranchRecord[]>,
  locations: LocationPicker,
): CustomerRecord[] {
  const rng = Rng.derive(p.seed, 'customers');
  const m = p.market;
  const out: CustomerRecord[] = [];
  const taken = new Set<string>();
  const add = (company: CompanyRecord | null, branch: BranchRecord | null) => {
    const name = personName(rng, m);
    const loc = locations.pick(rng);
    const index = out.length;
    const address = company
      ? { street: (branch ?? company).address.split(',')[0], city: (branch ?? company).city, state: (branch ?? company).state }
      : { street: streetAddress(rng, m), city: loc.place.city.en, state: loc.place.state };
    const zip = company ? (findZip(m, (branch ?? company).state, (branch ?? company).area) ?? loc.area.zip) : loc.area.zip;
    out.push({
      customer_id: customerId(index),
      first_name: name.first,
      last_name: name.last,
      full_name: name.full,
      full_name_ar: name.fullAr,
      email: email(rng, m, name.first, name.last, taken),
      phone: rng.digits(rng.pick(m.phonePatterns)),
      company_id: company?.company_id ?? null,
      branch_id: branch?.branch_id ?? null,
      tier: rng.chance(m.customers.vipShare) ? 'vip' : 'standard',
      region: company ? (branch ?? company).region : loc.region.name,
      delivery_region: company ? (branch ?? company).delivery_region : loc.place.deliveryRegion,
      shipping_address: { ...address, zip_code: zip, country: company ? countryOf(m, (branch ?? company).state) : loc.place.country },
      created_at: iso(p.startMs - rng.int(1, 1200) * DAY_MS - rng.int(0, 86_399) * 1000),
    });
  };
  for (const company of companies) {
    const branches = branchesByCompany.get(company.company_id) ?? [];
    const contacts = rng.int(m.companies.contactsPerCompany[0], m.companies.contactsPerCompany[1]);
    for (let k = 0; k < contacts; k++) add(company, branches.length && rng.chance(0.5) ? rng.pick(branches) : null);
  }
  const b2c = Math.round(m.customers.baseCount * p.multiplier);
  for (let k = 0; k < b2c; k++) add(null, null);
  return out;
}

function findZip(m: MarketPack, state: string, area: string): string | undefined {
  for (const r of m.geography.regions) for (const pl of r.places) if (pl.state === state) return pl.areas.find((a) => a.en === area)?.zip;
  return undefined;
}

function countryOf(m: MarketPack, state: string): string {
  for (const r of m.geography.regions) for (const pl of r.places) if (pl.state === state) return pl.country;
  return m.geography.regions[0].places[0].country;
}

function buildSuppliers(p: DimensionParams): SupplierRecord[] {
  const rng = Rng.derive(p.seed, 'suppliers');
  return p.market.suppliers.map((s, i) => ({
    supplier_id: padded('SUP-', i + 1, 3),
    name: s.name,
    country: s.country,
    region: s.region,
    lead_time_days_min: s.leadTimeDays[0],
    lead_time_days_max: s.leadTimeDays[1],
    email: `sales.${slug(s.name).slice(0, 20)}@${rng.pick(p.market.emailDomains)}`,
    phone: rng.digits(rng.pick(p.market.phonePatterns)),
    rating: Math.round(rng.range(3, 5) * 10) / 10,
  }));
}

interface ProductResult {
  products: ProductRecord[];
  weights: number[];
  exponent: number;
  retailSibling: Int32Array;
  priceBounds: Array<readonly [number, number]>;
}

/**
 * Products: every item of a category in every pack. An item has one reference price (drawn
 * from the category's range, or its own); a pack is priced from it by size with a volume
 * discount, price ∝ size^packExponent: a bigger pack always costs more, and never more per
 * unit. Its unit names the pack ("250 g bag", "case of 12").
 */
function buildProducts(p: DimensionParams, suppliers: SupplierRecord[]): ProductResult {
  const rng = Rng.derive(p.seed, 'products');
  const m = p.market;
  type Category = (typeof m.products.categories)[number];
  type Variant = Category['variants'][number];
  const combos: Array<{ cat: Category; item: Term & { price?: number }; itemKey: number; variant: Variant | null }> = [];
  const itemBase: number[] = [];
  for (const cat of m.products.categories) {
    for (const item of cat.items) {
      const itemKey = itemBase.length;
      itemBase.push(item.price ?? rng.range(cat.priceRange[0], cat.priceRange[1]));
      if (cat.variants.length === 0) combos.push({ cat, item, itemKey, variant: null });
      else for (const variant of cat.variants) combos.push({ cat, item, itemKey, variant });
    }
  }
  const packFactor = (cat: Category, v: Variant | null) => (v ? Math.pow(v.size / (cat.referenceSize ?? v.size), cat.packExponent ?? 0.9) : 1);
  const count = Math.min(p.scenario.entityVolumes.products, m.products.count, combos.length);
  const keep = new Set(rng.shuffle(combos.map((_, i) => i)).slice(0, count));
  const selected = combos.filter((_, i) => keep.has(i));
  const ranks = rng.shuffle(selected.map((_, i) => i + 1));
  const exponent = calibrateZipfExponent(selected.length);
  const zipf = zipfWeights(selected.length, exponent);
  const weights = ranks.map((r) => zipf[r - 1]);
  const totalWeight = weights.reduce((a, b) => a + b, 0);

  const ordersPerDay = p.scenario.entityVolumes.ordersPerDay * p.multiplier * p.scenario.volume.orderFactor;
  const moments = lineQuantityMoments(m, p.scenario);
  const supplierByName = new Map(suppliers.map((s) => [s.name, s]));

  const products = selected.map(({ cat, item, itemKey, variant }, i): ProductRecord => {
    const price = Math.max(0.5, round2(itemBase[itemKey] * packFactor(cat, variant)));
    const candidates = cat.suppliers.map((n) => supplierByName.get(n)).filter((s): s is SupplierRecord => !!s);
    const supplier = candidates.length ? rng.pick(candidates) : rng.pick(suppliers);
    const policy = productPolicy(m, p.scenario, ordersPerDay, weights[i] / totalWeight, [supplier.lead_time_days_min, supplier.lead_time_days_max], moments);
    const id = padded('PROD-', i + 1, Math.max(m.products.idDigits, String(selected.length).length));
    return {
      product_id: id,
      sku: `${slug(cat.en).slice(0, 3).toUpperCase()}-${String(i + 1).padStart(4, '0')}`,
      name: variant ? `${item.en} ${variant.en}` : item.en,
      name_ar: m.bilingual && item.ar ? (variant?.ar ? `${item.ar} ${variant.ar}` : item.ar) : null,
      category: cat.en,
      supplier_id: supplier.supplier_id,
      unit: variant?.unit ?? cat.unit,
      unit_price: price,
      currency: m.currency,
      popularity_rank: ranks[i],
      stock_quantity: policy.orderUpTo,
      reorder_threshold: policy.reorderPoint,
      created_at: iso(p.startMs - rng.int(90, 1500) * DAY_MS),
    };
  });

  // A household buys the smallest retail pack of the item it picked (a case of 1000 cups is a business's).
  const retailSibling = new Int32Array(selected.length);
  selected.forEach((c, i) => {
    retailSibling[i] = i;
    if (!c.variant?.trade) return;
    let best = -1;
    selected.forEach((o, j) => {
      if (o.itemKey === c.itemKey && o.variant && !o.variant.trade && (best < 0 || o.variant.size < selected[best].variant!.size)) best = j;
    });
    if (best >= 0) retailSibling[i] = best;
  });
  const priceBounds = selected.map(({ cat, variant }, i): readonly [number, number] => {
    const f = packFactor(cat, variant);
    return [Math.min(products[i].unit_price, round2(cat.priceRange[0] * f)), Math.max(products[i].unit_price, round2(cat.priceRange[1] * f))];
  });
  return { products, weights, exponent, retailSibling, priceBounds };
}

export function buildDimensions(p: DimensionParams): Dimensions {
  const locations = new LocationPicker(p.market);
  const users = buildUsers(p);
  const usersByRole = Object.fromEntries(USER_ROLES.map((r) => [r, users.filter((u) => u.role === r)])) as Record<UserRole, UserRecord[]>;
  const companies = buildCompanies(p, usersByRole, locations);
  const branches = buildBranches(p, companies, locations);
  const branchesByCompany = new Map<string, BranchRecord[]>();
  for (const b of branches) {
    const list = branchesByCompany.get(b.company_id) ?? [];
    list.push(b);
    branchesByCompany.set(b.company_id, list);
  }
  const customers = buildCustomers(p, companies, branchesByCompany, locations);
  const suppliers = buildSuppliers(p);
  const { products, weights, exponent, retailSibling, priceBounds } = buildProducts(p, suppliers);
  return {
    users,
    companies,
    branches,
    customers,
    suppliers,
    products,
    usersByRole,
    branchesByCompany,
    companyById: new Map(companies.map((c) => [c.company_id, c])),
    productWeights: weights,
    zipfExponent: exponent,
    retailSibling,
    priceBounds,
  };
}
