/**
 * US electronics web shop (spec "E-commerce Sales Generator"): one product per sale,
 * shipped from a US warehouse to all 50 states and DC.
 *
 * People and street names come from faker's English definitions; everything else is
 * plain data.
 */
import { faker } from '@faker-js/faker/locale/en';
import type { FirstName, MarketPack, Term } from '../types.js';

const en = faker.rawDefinitions;
const byEn = (a: Term, b: Term): number => (a.en < b.en ? -1 : a.en > b.en ? 1 : 0);
const terms = (names: readonly string[]): Term[] => [...new Set(names)].sort().map((name) => ({ en: name }));
const firstNames = (female: readonly string[], male: readonly string[]): FirstName[] =>
  [
    ...[...new Set(female)].map((name): FirstName => ({ en: name, gender: 'f' })),
    ...[...new Set(male)].map((name): FirstName => ({ en: name, gender: 'm' })),
  ].sort((a, b) => byEn(a, b) || (a.gender < b.gender ? -1 : a.gender > b.gender ? 1 : 0));

const firstNameDefs = en.person?.first_name;
const lastNameDefs = en.person?.last_name;
const lastNames = terms(lastNameDefs?.generic ?? []);

export const usElectronics: MarketPack = {
  id: 'us-electronics',
  label: 'US electronics web shop',
  description:
    'A US online store for consumer electronics and accessories: single-product sales to private customers and small-business buyers across all 50 states and DC.',
  currency: 'USD',
  utcOffsetMinutes: -300,
  bilingual: false,

  people: {
    firstNames: firstNames(firstNameDefs?.female ?? [], firstNameDefs?.male ?? []),
    lastNames,
  },
  phonePatterns: [
    '+1 (2##) 5##-####',
    '+1 (3##) 4##-####',
    '+1 (4##) 6##-####',
    '+1 (5##) 7##-####',
    '+1 (6##) 2##-####',
    '+1 (7##) 3##-####',
  ],
  emailDomains: ['example.com', 'example.org', 'example.net'],

  geography: {
    regions: [
      {
        name: 'Northeast',
        weight: 57,
        places: [
          { city: { en: 'Bridgeport' }, state: 'CT', stateName: { en: 'Connecticut' }, country: 'USA', areas: [{ en: 'Downtown', zip: '06604' }, { en: 'Black Rock', zip: '06605' }, { en: 'North End', zip: '06606' }], deliveryRegion: 'CONTIGUOUS', weight: 3.62 },
          { city: { en: 'Portland' }, state: 'ME', stateName: { en: 'Maine' }, country: 'USA', areas: [{ en: 'Old Port', zip: '04101' }, { en: 'North Deering', zip: '04103' }], deliveryRegion: 'CONTIGUOUS', weight: 1.4 },
          { city: { en: 'Boston' }, state: 'MA', stateName: { en: 'Massachusetts' }, country: 'USA', areas: [{ en: 'Beacon Hill', zip: '02108' }, { en: 'Back Bay', zip: '02116' }, { en: 'South Boston', zip: '02127' }], deliveryRegion: 'CONTIGUOUS', weight: 7.0 },
          { city: { en: 'Manchester' }, state: 'NH', stateName: { en: 'New Hampshire' }, country: 'USA', areas: [{ en: 'Downtown', zip: '03101' }, { en: 'North End', zip: '03104' }], deliveryRegion: 'CONTIGUOUS', weight: 1.4 },
          { city: { en: 'Providence' }, state: 'RI', stateName: { en: 'Rhode Island' }, country: 'USA', areas: [{ en: 'Downtown', zip: '02903' }, { en: 'East Side', zip: '02906' }, { en: 'Olneyville', zip: '02909' }], deliveryRegion: 'CONTIGUOUS', weight: 1.1 },
          { city: { en: 'Burlington' }, state: 'VT', stateName: { en: 'Vermont' }, country: 'USA', areas: [{ en: 'Downtown', zip: '05401' }, { en: 'New North End', zip: '05408' }], deliveryRegion: 'CONTIGUOUS', weight: 0.65 },
          { city: { en: 'Newark' }, state: 'NJ', stateName: { en: 'New Jersey' }, country: 'USA', areas: [{ en: 'Downtown', zip: '07102' }, { en: 'Forest Hill', zip: '07104' }, { en: 'Ironbound', zip: '07105' }], deliveryRegion: 'CONTIGUOUS', weight: 9.29 },
          { city: { en: 'New York' }, state: 'NY', stateName: { en: 'New York' }, country: 'USA', areas: [{ en: 'Chelsea', zip: '10001' }, { en: 'East Village', zip: '10003' }, { en: 'Upper West Side', zip: '10025' }], deliveryRegion: 'CONTIGUOUS', weight: 19.57 },
          { city: { en: 'Philadelphia' }, state: 'PA', stateName: { en: 'Pennsylvania' }, country: 'USA', areas: [{ en: 'Rittenhouse Square', zip: '19103' }, { en: 'Old City', zip: '19106' }, { en: 'Queen Village', zip: '19147' }], deliveryRegion: 'CONTIGUOUS', weight: 12.96 },
        ],
      },
      {
        name: 'Midwest',
        weight: 69,
        places: [
          { city: { en: 'Chicago' }, state: 'IL', stateName: { en: 'Illinois' }, country: 'USA', areas: [{ en: 'The Loop', zip: '60601' }, { en: 'Lincoln Park', zip: '60614' }, { en: 'Wicker Park', zip: '60622' }], deliveryRegion: 'CONTIGUOUS', weight: 12.55 },
          { city: { en: 'Indianapolis' }, state: 'IN', stateName: { en: 'Indiana' }, country: 'USA', areas: [{ en: 'Old Northside', zip: '46202' }, { en: 'Downtown', zip: '46204' }, { en: 'Broad Ripple', zip: '46220' }], deliveryRegion: 'CONTIGUOUS', weight: 6.86 },
          { city: { en: 'Detroit' }, state: 'MI', stateName: { en: 'Michigan' }, country: 'USA', areas: [{ en: 'Midtown', zip: '48201' }, { en: 'Lafayette Park', zip: '48207' }, { en: 'Downtown', zip: '48226' }], deliveryRegion: 'CONTIGUOUS', weight: 10.04 },
          { city: { en: 'Columbus' }, state: 'OH', stateName: { en: 'Ohio' }, country: 'USA', areas: [{ en: 'Short North', zip: '43201' }, { en: 'German Village', zip: '43206' }, { en: 'Downtown', zip: '43215' }], deliveryRegion: 'CONTIGUOUS', weight: 11.79 },
          { city: { en: 'Milwaukee' }, state: 'WI', stateName: { en: 'Wisconsin' }, country: 'USA', areas: [{ en: 'Downtown', zip: '53202' }, { en: "Walker's Point", zip: '53204' }, { en: 'Bay View', zip: '53207' }], deliveryRegion: 'CONTIGUOUS', weight: 5.91 },
          { city: { en: 'Des Moines' }, state: 'IA', stateName: { en: 'Iowa' }, country: 'USA', areas: [{ en: 'Downtown', zip: '50309' }, { en: 'Beaverdale', zip: '50310' }, { en: 'Waterbury', zip: '50312' }], deliveryRegion: 'CONTIGUOUS', weight: 3.21 },
          { city: { en: 'Wichita' }, state: 'KS', stateName: { en: 'Kansas' }, country: 'USA', areas: [{ en: 'Downtown', zip: '67202' }, { en: 'Riverside', zip: '67203' }, { en: 'College Hill', zip: '67208' }], deliveryRegion: 'CONTIGUOUS', weight: 2.94 },
          { city: { en: 'Minneapolis' }, state: 'MN', stateName: { en: 'Minnesota' }, country: 'USA', areas: [{ en: 'North Loop', zip: '55401' }, { en: 'Uptown', zip: '55408' }, { en: 'Dinkytown', zip: '55414' }], deliveryRegion: 'CONTIGUOUS', weight: 5.74 },
          { city: { en: 'Kansas City' }, state: 'MO', stateName: { en: 'Missouri' }, country: 'USA', areas: [{ en: 'Downtown', zip: '64105' }, { en: 'Crossroads', zip: '64108' }, { en: 'Westport', zip: '64111' }], deliveryRegion: 'CONTIGUOUS', weight: 6.2 },
          { city: { en: 'Omaha' }, state: 'NE', stateName: { en: 'Nebraska' }, country: 'USA', areas: [{ en: 'Downtown', zip: '68102' }, { en: 'Aksarben', zip: '68106' }, { en: 'Midtown', zip: '68131' }], deliveryRegion: 'CONTIGUOUS', weight: 1.98 },
          { city: { en: 'Fargo' }, state: 'ND', stateName: { en: 'North Dakota' }, country: 'USA', areas: [{ en: 'Downtown', zip: '58102' }, { en: 'South Fargo', zip: '58103' }], deliveryRegion: 'CONTIGUOUS', weight: 0.78 },
          { city: { en: 'Sioux Falls' }, state: 'SD', stateName: { en: 'South Dakota' }, country: 'USA', areas: [{ en: 'Downtown', zip: '57104' }, { en: 'Cathedral', zip: '57105' }, { en: 'West Side', zip: '57106' }], deliveryRegion: 'CONTIGUOUS', weight: 0.92 },
        ],
      },
      {
        name: 'South',
        weight: 130,
        places: [
          { city: { en: 'Wilmington' }, state: 'DE', stateName: { en: 'Delaware' }, country: 'USA', areas: [{ en: 'Downtown', zip: '19801' }, { en: 'Trolley Square', zip: '19806' }], deliveryRegion: 'CONTIGUOUS', weight: 1.03 },
          { city: { en: 'Washington' }, state: 'DC', stateName: { en: 'District of Columbia' }, country: 'USA', areas: [{ en: 'Shaw', zip: '20001' }, { en: 'Capitol Hill', zip: '20003' }, { en: 'Georgetown', zip: '20007' }], deliveryRegion: 'CONTIGUOUS', weight: 0.68 },
          { city: { en: 'Jacksonville' }, state: 'FL', stateName: { en: 'Florida' }, country: 'USA', areas: [{ en: 'Downtown', zip: '32202' }, { en: 'Riverside', zip: '32204' }, { en: 'San Marco', zip: '32207' }], deliveryRegion: 'CONTIGUOUS', weight: 22.61 },
          { city: { en: 'Atlanta' }, state: 'GA', stateName: { en: 'Georgia' }, country: 'USA', areas: [{ en: 'Downtown', zip: '30303' }, { en: 'Inman Park', zip: '30307' }, { en: 'Midtown', zip: '30308' }], deliveryRegion: 'CONTIGUOUS', weight: 11.03 },
          { city: { en: 'Baltimore' }, state: 'MD', stateName: { en: 'Maryland' }, country: 'USA', areas: [{ en: 'Downtown', zip: '21202' }, { en: 'Federal Hill', zip: '21230' }, { en: 'Fells Point', zip: '21231' }], deliveryRegion: 'CONTIGUOUS', weight: 6.18 },
          { city: { en: 'Charlotte' }, state: 'NC', stateName: { en: 'North Carolina' }, country: 'USA', areas: [{ en: 'Uptown', zip: '28202' }, { en: 'South End', zip: '28203' }, { en: 'Plaza Midwood', zip: '28205' }], deliveryRegion: 'CONTIGUOUS', weight: 10.84 },
          { city: { en: 'Charleston' }, state: 'SC', stateName: { en: 'South Carolina' }, country: 'USA', areas: [{ en: 'Downtown', zip: '29401' }, { en: 'Upper Peninsula', zip: '29403' }, { en: 'West Ashley', zip: '29407' }], deliveryRegion: 'CONTIGUOUS', weight: 5.37 },
          { city: { en: 'Virginia Beach' }, state: 'VA', stateName: { en: 'Virginia' }, country: 'USA', areas: [{ en: 'Oceanfront', zip: '23451' }, { en: 'Great Neck', zip: '23454' }, { en: 'Pembroke', zip: '23462' }], deliveryRegion: 'CONTIGUOUS', weight: 8.72 },
          { city: { en: 'Charleston' }, state: 'WV', stateName: { en: 'West Virginia' }, country: 'USA', areas: [{ en: 'Downtown', zip: '25301' }, { en: 'West Side', zip: '25302' }, { en: 'East End', zip: '25311' }], deliveryRegion: 'CONTIGUOUS', weight: 1.77 },
          { city: { en: 'Huntsville' }, state: 'AL', stateName: { en: 'Alabama' }, country: 'USA', areas: [{ en: 'Downtown', zip: '35801' }, { en: 'South Huntsville', zip: '35802' }, { en: 'Research Park', zip: '35806' }], deliveryRegion: 'CONTIGUOUS', weight: 5.11 },
          { city: { en: 'Louisville' }, state: 'KY', stateName: { en: 'Kentucky' }, country: 'USA', areas: [{ en: 'Downtown', zip: '40202' }, { en: 'The Highlands', zip: '40204' }, { en: 'Crescent Hill', zip: '40206' }], deliveryRegion: 'CONTIGUOUS', weight: 4.53 },
          { city: { en: 'Jackson' }, state: 'MS', stateName: { en: 'Mississippi' }, country: 'USA', areas: [{ en: 'Downtown', zip: '39201' }, { en: 'Belhaven', zip: '39202' }, { en: 'Fondren', zip: '39216' }], deliveryRegion: 'CONTIGUOUS', weight: 2.94 },
          { city: { en: 'Nashville' }, state: 'TN', stateName: { en: 'Tennessee' }, country: 'USA', areas: [{ en: 'The Gulch', zip: '37203' }, { en: 'East Nashville', zip: '37206' }, { en: 'Hillsboro Village', zip: '37212' }], deliveryRegion: 'CONTIGUOUS', weight: 7.13 },
          { city: { en: 'Little Rock' }, state: 'AR', stateName: { en: 'Arkansas' }, country: 'USA', areas: [{ en: 'Downtown', zip: '72201' }, { en: 'Hillcrest', zip: '72205' }, { en: 'The Heights', zip: '72207' }], deliveryRegion: 'CONTIGUOUS', weight: 3.07 },
          { city: { en: 'New Orleans' }, state: 'LA', stateName: { en: 'Louisiana' }, country: 'USA', areas: [{ en: 'Central Business District', zip: '70112' }, { en: 'Uptown', zip: '70115' }, { en: 'French Quarter', zip: '70116' }], deliveryRegion: 'CONTIGUOUS', weight: 4.57 },
          { city: { en: 'Oklahoma City' }, state: 'OK', stateName: { en: 'Oklahoma' }, country: 'USA', areas: [{ en: 'Downtown', zip: '73102' }, { en: 'Mesta Park', zip: '73103' }, { en: 'Bricktown', zip: '73104' }], deliveryRegion: 'CONTIGUOUS', weight: 4.05 },
          { city: { en: 'Houston' }, state: 'TX', stateName: { en: 'Texas' }, country: 'USA', areas: [{ en: 'Downtown', zip: '77002' }, { en: 'Montrose', zip: '77006' }, { en: 'River Oaks', zip: '77019' }], deliveryRegion: 'CONTIGUOUS', weight: 30.5 },
        ],
      },
      {
        name: 'West',
        weight: 79,
        places: [
          { city: { en: 'Phoenix' }, state: 'AZ', stateName: { en: 'Arizona' }, country: 'USA', areas: [{ en: 'Downtown', zip: '85004' }, { en: 'Camelback East', zip: '85016' }, { en: 'Arcadia', zip: '85018' }], deliveryRegion: 'CONTIGUOUS', weight: 7.43 },
          { city: { en: 'Denver' }, state: 'CO', stateName: { en: 'Colorado' }, country: 'USA', areas: [{ en: 'LoDo', zip: '80202' }, { en: 'Capitol Hill', zip: '80203' }, { en: 'Highland', zip: '80211' }], deliveryRegion: 'CONTIGUOUS', weight: 5.88 },
          { city: { en: 'Boise' }, state: 'ID', stateName: { en: 'Idaho' }, country: 'USA', areas: [{ en: 'Downtown', zip: '83702' }, { en: 'West Boise', zip: '83704' }, { en: 'Southeast Boise', zip: '83706' }], deliveryRegion: 'CONTIGUOUS', weight: 1.96 },
          { city: { en: 'Billings' }, state: 'MT', stateName: { en: 'Montana' }, country: 'USA', areas: [{ en: 'Downtown', zip: '59101' }, { en: 'West End', zip: '59102' }], deliveryRegion: 'CONTIGUOUS', weight: 1.13 },
          { city: { en: 'Las Vegas' }, state: 'NV', stateName: { en: 'Nevada' }, country: 'USA', areas: [{ en: 'Downtown', zip: '89101' }, { en: 'Charleston Heights', zip: '89107' }, { en: 'Summerlin', zip: '89144' }], deliveryRegion: 'CONTIGUOUS', weight: 3.19 },
          { city: { en: 'Albuquerque' }, state: 'NM', stateName: { en: 'New Mexico' }, country: 'USA', areas: [{ en: 'Downtown', zip: '87102' }, { en: 'Nob Hill', zip: '87106' }, { en: 'Uptown', zip: '87110' }], deliveryRegion: 'CONTIGUOUS', weight: 2.11 },
          { city: { en: 'Salt Lake City' }, state: 'UT', stateName: { en: 'Utah' }, country: 'USA', areas: [{ en: 'Downtown', zip: '84101' }, { en: 'Central City', zip: '84102' }, { en: 'The Avenues', zip: '84103' }], deliveryRegion: 'CONTIGUOUS', weight: 3.42 },
          { city: { en: 'Cheyenne' }, state: 'WY', stateName: { en: 'Wyoming' }, country: 'USA', areas: [{ en: 'Downtown', zip: '82001' }, { en: 'North Cheyenne', zip: '82009' }], deliveryRegion: 'CONTIGUOUS', weight: 0.58 },
          { city: { en: 'Anchorage' }, state: 'AK', stateName: { en: 'Alaska' }, country: 'USA', areas: [{ en: 'Downtown', zip: '99501' }, { en: 'Midtown', zip: '99503' }, { en: 'University Area', zip: '99508' }], deliveryRegion: 'REMOTE', weight: 0.73 },
          { city: { en: 'Los Angeles' }, state: 'CA', stateName: { en: 'California' }, country: 'USA', areas: [{ en: 'Downtown', zip: '90012' }, { en: 'Hollywood', zip: '90028' }, { en: 'Venice', zip: '90291' }], deliveryRegion: 'CONTIGUOUS', weight: 38.97 },
          { city: { en: 'Honolulu' }, state: 'HI', stateName: { en: 'Hawaii' }, country: 'USA', areas: [{ en: 'Downtown', zip: '96813' }, { en: 'Waikiki', zip: '96815' }, { en: 'Manoa', zip: '96822' }], deliveryRegion: 'REMOTE', weight: 1.44 },
          { city: { en: 'Portland' }, state: 'OR', stateName: { en: 'Oregon' }, country: 'USA', areas: [{ en: 'Downtown', zip: '97205' }, { en: 'Pearl District', zip: '97209' }, { en: 'Buckman', zip: '97214' }], deliveryRegion: 'CONTIGUOUS', weight: 4.23 },
          { city: { en: 'Seattle' }, state: 'WA', stateName: { en: 'Washington' }, country: 'USA', areas: [{ en: 'Downtown', zip: '98101' }, { en: 'Fremont', zip: '98103' }, { en: 'Capitol Hill', zip: '98122' }], deliveryRegion: 'CONTIGUOUS', weight: 7.81 },
        ],
      },
    ],
    // Streets are named after surnames ("Miller" + " Avenue"), like faker's own
    // `{{person.lastName}} {{location.street_suffix}}` pattern; faker's `street_name`
    // entries already end in a suffix, so appending another one would double it.
    streets: lastNames,
    streetSuffixes: [...new Set((en.location?.street_suffix ?? []).slice(0, 20))].sort(),
    buildingNumber: [100, 99999],
  },
  deliveryRegions: [
    { code: 'CONTIGUOUS', weekdays: [1, 2, 3, 4, 5, 6], extraTransitDays: 0 },
    { code: 'REMOTE', weekdays: [1, 2, 3, 4, 5], extraTransitDays: 3 },
  ],

  companies: {
    prefixes: [
      { en: 'Summit' },
      { en: 'Bright' },
      { en: 'Blue Ridge' },
      { en: 'Pioneer' },
      { en: 'Golden Gate' },
      { en: 'Keystone' },
      { en: 'Liberty' },
      { en: 'Redwood' },
      { en: 'Harbor' },
      { en: 'Evergreen' },
      { en: 'Prairie' },
      { en: 'Lakeside' },
    ],
    cores: [
      { en: 'Tech' },
      { en: 'Solutions' },
      { en: 'Systems' },
      { en: 'Digital' },
      { en: 'Office' },
      { en: 'Learning' },
      { en: 'Networks' },
      { en: 'Consulting' },
      { en: 'Design' },
      { en: 'Media' },
      { en: 'Services' },
      { en: 'Supply' },
    ],
    suffixes: [{ en: 'LLC' }, { en: 'Inc.' }, { en: 'Corp.' }, { en: 'Co.' }, { en: 'Group' }],
    segments: [
      { value: 'small_business', weight: 60 },
      { value: 'education', weight: 15 },
      { value: 'government', weight: 10 },
      { value: 'reseller', weight: 15 },
    ],
    taxNumberPattern: '##-#######',
    commercialRegisterPattern: '#######',
    paymentTerms: [
      { value: 'prepaid', weight: 50 },
      { value: 'net_15', weight: 10 },
      { value: 'net_30', weight: 30 },
      { value: 'net_60', weight: 10 },
    ],
    monthlyCycleShare: 0.3,
    creditLimitRange: [5000, 100000],
    contactsPerCompany: [1, 2],
  },

  customers: {
    baseCount: 2000,
    b2bOrderShare: 0.1,
    vipShare: 0.1,
  },

  products: {
    count: 15,
    // No variants: categories × items give exactly PROD-001 … PROD-015 in this order.
    categories: [
      {
        en: 'Electronics',
        priceRange: [39.99, 449.99],
        unit: 'each',
        items: [
          { en: 'Wireless Headphones', price: 129.99 },
          { en: 'Smart Watch', price: 249.99 },
          { en: 'Webcam HD', price: 69.99 },
          { en: '4K Monitor', price: 399.99 },
        ],
        variants: [],
        suppliers: ['Pacific Electronics Distribution', 'Shenzhen Bright Electronics Co.', 'Seoul Digital Components'],
      },
      {
        en: 'Computer Accessories',
        priceRange: [9.99, 129.99],
        unit: 'each',
        items: [
          { en: 'Mechanical Keyboard', price: 89.99 },
          { en: 'Wireless Mouse', price: 29.99 },
          { en: 'USB-C Cable', price: 12.99 },
          { en: 'Laptop Stand', price: 39.99 },
          { en: 'USB Hub', price: 34.99 },
        ],
        variants: [],
        suppliers: ['Taipei Precision Peripherals', 'Atlantic Tech Supply', 'Shenzhen Bright Electronics Co.'],
      },
      {
        en: 'Mobile Accessories',
        priceRange: [9.99, 79.99],
        unit: 'each',
        items: [
          { en: 'Phone Case', price: 19.99 },
          { en: 'Portable Charger', price: 44.99 },
        ],
        variants: [],
        suppliers: ['Shenzhen Bright Electronics Co.', 'Seoul Digital Components', 'Pacific Electronics Distribution'],
      },
      {
        en: 'Office Supplies',
        priceRange: [14.99, 89.99],
        unit: 'each',
        items: [
          { en: 'Desk Organizer', price: 24.99 },
          { en: 'Desk Lamp', price: 39.99 },
          { en: 'Ergonomic Chair Cushion', price: 49.99 },
        ],
        variants: [],
        suppliers: ['Midwest Office & Tech Wholesale', 'Atlantic Tech Supply'],
      },
      {
        en: 'Audio Equipment',
        priceRange: [29.99, 299.99],
        unit: 'each',
        items: [{ en: 'Bluetooth Speaker', price: 79.99 }],
        variants: [],
        suppliers: ['Lone Star Audio Distributors', 'Pacific Electronics Distribution', 'Seoul Digital Components'],
      },
    ],
    idDigits: 3,
  },
  suppliers: [
    { name: 'Pacific Electronics Distribution', country: 'USA', region: 'West', leadTimeDays: [3, 7] },
    { name: 'Atlantic Tech Supply', country: 'USA', region: 'Northeast', leadTimeDays: [2, 5] },
    { name: 'Midwest Office & Tech Wholesale', country: 'USA', region: 'Midwest', leadTimeDays: [2, 6] },
    { name: 'Lone Star Audio Distributors', country: 'USA', region: 'South', leadTimeDays: [3, 7] },
    { name: 'Shenzhen Bright Electronics Co.', country: 'CHN', region: 'Guangdong', leadTimeDays: [14, 30] },
    { name: 'Taipei Precision Peripherals', country: 'TWN', region: 'Taipei', leadTimeDays: [10, 21] },
    { name: 'Seoul Digital Components', country: 'KOR', region: 'Seoul', leadTimeDays: [10, 20] },
  ],

  orders: {
    // One product per sale.
    linesPerOrder: [100],
    quantity: [1, 5],
    bulkQuantityFactor: [3, 10],
    paymentMethods: [
      { value: 'credit_card', weight: 1 },
      { value: 'debit_card', weight: 1 },
      { value: 'paypal', weight: 1 },
      { value: 'apple_pay', weight: 1 },
      { value: 'google_pay', weight: 1 },
      { value: 'bank_transfer', weight: 1 },
    ],
    payOnDeliveryMethods: [],
    carriers: ['UPS', 'FedEx', 'USPS', 'DHL Express'],
    trackingPattern: 'TRK#########',
    cancellationReasons: [
      'out_of_stock',
      'customer_request',
      'payment_declined',
      'duplicate_order',
      'address_verification_failed',
      'suspected_fraud',
      'found_better_price',
    ],
    deliveryFailureReasons: [
      'recipient_not_available',
      'incorrect_address',
      'package_damaged_in_transit',
      'weather_delay',
      'package_lost_by_carrier',
      'signature_required',
      'building_access_restricted',
    ],
    refundReasons: [
      'defective_product',
      'wrong_item_shipped',
      'item_not_as_described',
      'damaged_on_arrival',
      'changed_mind',
      'late_delivery',
      'missing_accessories',
    ],
    refundRejectionReasons: [
      'return_window_expired',
      'item_used_or_damaged',
      'missing_original_packaging',
      'serial_number_mismatch',
      'non_returnable_item',
      'missing_proof_of_purchase',
    ],
    discountCodes: ['WELCOME10', 'BLACKFRIDAY25', 'CYBERMONDAY20', 'SPRING15', 'FREESHIP', 'BACKTOSCHOOL10', 'HOLIDAY20'],
    notes: {
      rush_orders: 'Express delivery required',
      bulk_orders: 'Large quantity order',
      regular_orders: 'Standard processing',
      premium_orders: 'VIP customer',
      delayed_orders: 'Backorder processing',
    },
  },

  maintenance: {
    visitTypes: [
      { value: 'installation', weight: 40 },
      { value: 'repair', weight: 40 },
      { value: 'preventive', weight: 20 },
    ],
    services: [
      { en: 'Workstation setup' },
      { en: 'Monitor calibration' },
      { en: 'Peripheral and network configuration' },
      { en: 'Conference room audio/video installation' },
      { en: 'Device firmware update' },
      { en: 'Hardware diagnostics' },
      { en: 'Data transfer and backup' },
      { en: 'Docking station and hub setup' },
    ],
    spareParts: [
      { en: 'Replacement keycap set', costRange: [9.99, 24.99] },
      { en: 'Laptop power adapter', costRange: [29.99, 79.99] },
      { en: 'USB-C charging port module', costRange: [19.99, 49.99] },
      { en: 'Headphone ear cushions', costRange: [14.99, 34.99] },
      { en: 'Monitor stand mount', costRange: [24.99, 69.99] },
      { en: 'Webcam USB cable', costRange: [7.99, 19.99] },
      { en: 'Smart watch band', costRange: [14.99, 49.99] },
      { en: 'Rechargeable battery pack', costRange: [24.99, 89.99] },
      { en: 'Bluetooth speaker driver', costRange: [19.99, 59.99] },
      { en: 'Desk lamp LED module', costRange: [12.99, 29.99] },
    ],
    laborCostRange: [75, 250],
  },
};
