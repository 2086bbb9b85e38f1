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
  /** Relative frequency in the population (default 1). */
  weight?: number;
}

export interface LastName extends Term {
  /** Relative frequency in the population (default 1). */
  weight?: number;
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

/**
 * A pack size. Its price is the category's reference price scaled by (size / referenceSize)
 * to the power packExponent (< 1): a bigger pack costs more in total and less per unit.
 */
export interface ProductVariant extends Term {
  /** Contents in the category's measure (grams, millilitres, pieces): 250, 1000, 12, … */
  size: number;
  /** The unit a product of this pack is sold in, naming the pack ("250 g bag", "case of 12"). */
  unit: string;
  /** A trade pack (case, carton, catering size): private customers buy the smallest pack of the item instead. */
  trade?: boolean;
}

export interface ProductCategory extends Term {
  /** Price range of the reference pack (referenceSize), or of the item when there are no variants. */
  priceRange: [number, number];
  /** Unit of items without variants. */
  unit: string;
  /** The pack size priceRange and item prices refer to (required with variants). */
  referenceSize?: number;
  /** Volume discount: price ∝ size^packExponent (0 < exponent ≤ 1; default 0.9). */
  packExponent?: number;
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

  /** When this market's customers order, in local time: relative weights per hour (24). Weekdays and holidays: `calendar`. */
  activity: { hourOfDay: number[] };

  /** The market's working week, holidays, promotions and seasons (data: catalog/calendars/). */
  calendar: MarketCalendar;

  people: {
    firstNames: FirstName[];
    lastNames: LastName[];
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
    /**
     * A name is `[brand | own place] [type word of its segment] [legal form]`: the type word
     * says what the business is (a café is a "Coffee House", never a "Hotel"), and a place in
     * the name is where the company is.
     */
    brandWords: Term[];
    /** Optional second brand words ("Golden" + "Lotus"). */
    brandCores: Term[];
    naming: SegmentNaming[];
    /** Legal forms appended to names ("LLC", "GmbH"); empty = none. A segment's own, then the country's, come first. */
    legalForms: Term[];
    /** Legal forms by ISO alpha-3 country (a German company is a GmbH, a Chinese one a Co., Ltd.). */
    legalFormsByCountry?: Record<string, Term[]>;
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
    /** Private customers' and businesses' baskets: different distributions of lines and units. */
    baskets: { b2c: Basket; b2b: Basket };
    /** Each order's unit price varies by up to ± this share around the list price, inside the category's range (0 = list price). */
    priceVariation: number;
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

/** How a segment's companies are named. */
export interface SegmentNaming {
  segment: string;
  /** Words that say what the business is; each belongs to this segment only. */
  words: CompanySuffix[];
  /** Share of names built on the company's own area or city instead of a brand word. */
  placeShare: number;
  /** Which place a place name uses: the company's city (a city's water authority) or either its area or city (default). */
  place?: 'city' | 'either';
  /** This segment's legal forms, instead of the market's (a school is no LLC). */
  legalForms?: Term[];
}

/** What one order contains: lines and units per line. */
export interface Basket {
  /** Weights for the number of lines (index 0 = 1 line). */
  lines: number[];
  /** Units per line. */
  quantities: Weighted<number>[];
  /** Bulk-pattern orders multiply the units by a factor in this range. */
  bulkFactor: [number, number];
}

/** A set of days in any year. */
export type DateRule =
  | { month: number; day: number }
  /** The nth given weekday of a month (0 = Sunday; nth -1 = the last). */
  | { month: number; weekday: number; nth: number }
  /** Explicit dates (lunar holidays), YYYY-MM-DD. */
  | { dates: string[] }
  /** Explicit inclusive ranges, YYYY-MM-DD. */
  | { ranges: Array<[string, string]> }
  /** The last n working days of each quarter. */
  | { quarterEnd: number };

export interface CalendarRule {
  name: string;
  on: DateRule;
  /** Shift from the matched day (Black Friday: Thanksgiving + 1), default 0. */
  offsetDays?: number;
  /** Days from the (shifted) day, default 1. */
  span?: number;
  /** A public holiday: businesses closed, no deliveries or maintenance visits. */
  closed?: boolean;
  /** Multiplies businesses' orders (default 1). */
  b2b?: number;
  /** Multiplies private customers' orders (default 1). */
  b2c?: number;
  /** A different daily curve on these days (Ramadan): 24 relative weights. */
  hourOfDay?: number[];
}

export interface MarketCalendar {
  /** Local weekdays off (0 = Sunday): Egypt [5, 6], the US [0, 6]. */
  weekend: number[];
  /** Relative orders per local weekday (Sunday first) of businesses and of private customers. */
  dayOfWeek: { b2b: number[]; b2c: number[] };
  rules: CalendarRule[];
}
