/**
 * The shape of a market pack: everything that makes generated data look like one
 * business in one place (names, geography, products, money habits). Packs are pure
 * data; the simulation reads them and never special-cases a market by name.
 */

/** A term with an optional Arabic form (markets with bilingual records fill `ar`). */
export interface Term {
  en: string;
  ar?: string;
}

/** A company-name suffix; in Arabic some lead the name ("مطعم النيل", Nile Restaurant). */
export interface CompanySuffix extends Term {
  arLeads?: boolean;
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

export interface FirstName extends Term {
  gender: 'm' | 'f';
}

/** Delivery-region rule: deliveries to this region only happen on these local weekdays (0 = Sunday). */
export interface DeliveryRegionRule {
  code: string;
  weekdays: number[];
  /** Extra transit days on top of the order pattern's delivery time. */
  extraTransitDays: number;
}

export interface Area extends Term {
  /** Five-digit postal code used for addresses in this area. */
  zip: string;
}

export interface Place {
  /** City or governorate capital, as printed on an address. */
  city: Term;
  /** State / governorate code as printed on an address (2–3 letters). */
  state: string;
  stateName: Term;
  /** ISO 3166-1 alpha-3 country code. */
  country: string;
  /** Neighbourhoods / districts with their postal codes. */
  areas: Area[];
  /** Delivery-region code (see MarketPack.deliveryRegions). */
  deliveryRegion: string;
  weight: number;
}

/** A sales region (spec 000: North America, Europe, …; or a country's own regions). */
export interface SalesRegion {
  name: string;
  weight: number;
  places: Place[];
}

export interface ProductItem extends Term {
  /** Optional fixed unit price; otherwise drawn from the category's price range. */
  price?: number;
}

export interface ProductVariant extends Term {
  /** Multiplies the drawn base price. */
  priceFactor: number;
}

export interface ProductCategory extends Term {
  priceRange: [number, number];
  unit: string;
  items: ProductItem[];
  /** Sizes / packs; every item is offered in every variant. Empty = item as is. */
  variants: ProductVariant[];
  /** Supplier names (SupplierSpec.name) that supply this category. */
  suppliers: string[];
}

export interface SupplierSpec {
  name: string;
  country: string;
  region: string;
  leadTimeDays: [number, number];
}

export interface SparePart extends Term {
  costRange: [number, number];
}

export interface MarketPack {
  id: string;
  label: string;
  description: string;
  currency: string;
  /** Fixed offset used for local-time curves and day boundaries (no DST, for determinism). */
  utcOffsetMinutes: number;
  /** Whether records carry Arabic name fields. */
  bilingual: boolean;

  /** When this market's customers order, in local time: relative weights per hour (24) and weekday (7, Sunday first). */
  activity: { hourOfDay: number[]; dayOfWeek: number[] };

  people: {
    firstNames: FirstName[];
    lastNames: Term[];
  };
  /** Phone formats; each `#` becomes a digit. */
  phonePatterns: string[];
  /** Reserved example domains only: mock data must never mail a real person. */
  emailDomains: string[];

  geography: {
    regions: SalesRegion[];
    streets: Term[];
    /** Appended to the street name in English addresses ("Street", "Avenue", …). Empty = none. */
    streetSuffixes: string[];
    buildingNumber: [number, number];
  };
  deliveryRegions: DeliveryRegionRule[];

  companies: {
    /** Names are `${prefix} ${core} ${suffix}` with any empty part dropped. */
    prefixes: Term[];
    cores: Term[];
    suffixes: CompanySuffix[];
    segments: Weighted<string>[];
    /** Each `#` becomes a digit. */
    taxNumberPattern: string;
    commercialRegisterPattern: string;
    paymentTerms: Weighted<'prepaid' | 'net_15' | 'net_30' | 'net_60'>[];
    /** Share of invoiced companies that settle in one monthly bulk payment. */
    monthlyCycleShare: number;
    creditLimitRange: [number, number];
    contactsPerCompany: [number, number];
  };

  customers: {
    /** B2C customers at multiplier 1 (B2B contacts come on top, per company). */
    baseCount: number;
    /** Share of orders placed by company contacts rather than private customers. */
    b2bOrderShare: number;
    vipShare: number;
  };

  products: {
    /** How many products to materialise (capped by the combinations available). */
    count: number;
    categories: ProductCategory[];
    /** Product id digits: PROD-001 has 3. */
    idDigits: number;
  };
  suppliers: SupplierSpec[];

  orders: {
    /** Weights for the number of lines in an order (index 0 = 1 line). */
    linesPerOrder: number[];
    /** Units per line for a regular order. */
    quantity: [number, number];
    /** Bulk-pattern orders multiply the units per line by a factor in this range. */
    bulkQuantityFactor: [number, number];
    paymentMethods: Weighted<string>[];
    /** Methods settled on delivery rather than up front. */
    payOnDeliveryMethods: string[];
    carriers: string[];
    trackingPattern: string;
    cancellationReasons: string[];
    deliveryFailureReasons: string[];
    refundReasons: string[];
    refundRejectionReasons: string[];
    discountCodes: string[];
    notes: Record<string, string>;
  };

  maintenance: {
    visitTypes: Weighted<string>[];
    services: Term[];
    spareParts: SparePart[];
    laborCostRange: [number, number];
  };
}
