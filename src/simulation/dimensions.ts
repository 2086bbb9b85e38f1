/**
 * The tables that exist before the first order: users, companies, branches, customers,
 * suppliers and products. Built from their own named random streams, so every worker
 * rebuilds exactly the same tables from the seed instead of receiving them.
 */
import type { CompanySuffix, MarketPack, Place, SalesRegion, Term } from '../catalog/types.js';
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
  zipfExponent: number;
}

export interface DimensionParams {
  seed: number;
  multiplier: number;
  startMs: number;
  market: MarketPack;
  scenario: ScenarioProfile;
}

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');

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

export function personName(rng: Rng, market: MarketPack) {
  const first = rng.pick(market.people.firstNames);
  const last = rng.pick(market.people.lastNames);
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

function email(rng: Rng, market: MarketPack, first: string, last: string): string {
  const style = rng.int(0, 2);
  const local = style === 0 ? `${slug(last)}${slug(first)}` : style === 1 ? `${slug(first)}.${slug(last)}` : `${slug(first)}${rng.int(1, 99)}`;
  return `${local}@${rng.pick(market.emailDomains)}`;
}

function buildUsers(p: DimensionParams): UserRecord[] {
  const rng = Rng.derive(p.seed, 'users');
  const count = Math.max(4, Math.round(p.scenario.entityVolumes.users * p.multiplier));
  const counts = apportion(count, USER_ROLES.map((r) => ROLE_SHARES[r]));
  const roles = rng.shuffle(USER_ROLES.flatMap((role, i) => Array<UserRole>(counts[i]).fill(role)));
  return roles.map((role, i) => {
    const name = personName(rng, p.market);
    return {
      user_id: padded('USR-', i + 1, 4),
      full_name: name.full,
      full_name_ar: name.fullAr,
      email: email(rng, p.market, name.first, name.last),
      phone: rng.digits(rng.pick(p.market.phonePatterns)),
      role,
      active: rng.chance(0.95),
      created_at: iso(p.startMs - rng.int(30, 1500) * DAY_MS - rng.int(0, 86_399) * 1000),
    };
  });
}

function arabicName(prefix: Term, core: Term, suffix: CompanySuffix): string {
  const words = suffix.arLeads ? [suffix, prefix, core] : [prefix, core, suffix];
  return words.map((t) => t.ar ?? t.en).join(' ');
}

function buildCompanies(p: DimensionParams, users: Record<UserRole, UserRecord[]>, locations: LocationPicker): CompanyRecord[] {
  const rng = Rng.derive(p.seed, 'companies');
  const c = p.market.companies;
  const count = Math.max(1, Math.round(p.scenario.entityVolumes.companies * p.multiplier * p.scenario.volume.companyFactor));
  const segments = AliasTable.of(c.segments);
  const terms = AliasTable.of(c.paymentTerms);
  const managers = users.sales.length ? users.sales : users.manager;
  const out: CompanyRecord[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [rng.pick(c.prefixes), rng.pick(c.cores), rng.pick(c.suffixes)];
    const loc = locations.pick(rng);
    const paymentTerms = terms.sample(rng);
    const monthly = paymentTerms !== 'prepaid' && paymentTerms !== 'net_15' && rng.chance(c.monthlyCycleShare);
    const name = parts.map((t) => t.en).join(' ');
    out.push({
      company_id: padded('COMP-', i + 1, 5),
      name,
      name_ar: p.market.bilingual ? arabicName(parts[0], parts[1], parts[2]) : null,
      segment: segments.sample(rng),
      tax_number: rng.digits(c.taxNumberPattern),
      commercial_register: rng.digits(c.commercialRegisterPattern),
      ...site(rng, p.market, loc),
      email: `orders.${slug(parts[1].en)}${i + 1}@${rng.pick(p.market.emailDomains)}`,
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
      email: email(rng, m, name.first, name.last),
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

function buildProducts(p: DimensionParams, suppliers: SupplierRecord[]): { products: ProductRecord[]; weights: number[]; exponent: number } {
  const rng = Rng.derive(p.seed, 'products');
  const m = p.market;
  const combos: Array<{ cat: (typeof m.products.categories)[number]; item: Term & { price?: number }; variant: { en: string; ar?: string; priceFactor: number } | null }> = [];
  for (const cat of m.products.categories) {
    if (cat.variants.length === 0) for (const item of cat.items) combos.push({ cat, item, variant: null });
    else for (const item of cat.items) for (const variant of cat.variants) combos.push({ cat, item, variant });
  }
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

  const products = selected.map(({ cat, item, variant }, i): ProductRecord => {
    const base = item.price ?? rng.range(cat.priceRange[0], cat.priceRange[1]);
    const price = Math.max(0.5, round2(base * (variant?.priceFactor ?? 1)));
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
      unit: cat.unit,
      unit_price: price,
      currency: m.currency,
      popularity_rank: ranks[i],
      stock_quantity: policy.orderUpTo,
      reorder_threshold: policy.reorderPoint,
      created_at: iso(p.startMs - rng.int(90, 1500) * DAY_MS),
    };
  });
  return { products, weights, exponent };
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
  const { products, weights, exponent } = buildProducts(p, suppliers);
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
  };
}
