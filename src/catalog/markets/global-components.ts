/**
 * Global component supply (spec "Mock Order Streaming"): purchase orders from
 * manufacturers for an electronics supply chain, shipped worldwide.
 *
 * People and street names come from faker's English definitions; everything else is
 * plain data. Postal codes are five digits throughout (the record schema requires it):
 * countries with longer codes use their first five digits, shorter ones are zero-padded,
 * and the UAE (no postal codes) uses the free zone's P.O. box.
 */
import { englishFirstNames, englishLastNames, englishStreetSuffixes, englishStreets } from '../english-names.js';
import { globalCalendar } from '../calendars/global.js';
import type { MarketPack } from '../types.js';

export const globalComponents: MarketPack = {
  id: 'global-components',
  label: 'Global electronic components supply',
  description:
    "Purchase orders for an electronics manufacturer's supply chain: semiconductors, boards, mechanical parts and materials bought by manufacturers across five world regions.",
  currency: 'USD',
  utcOffsetMinutes: 0,
  bilingual: false,

  // Procurement desks across time zones (UTC): weekdays, Asia in the morning, the Americas in the afternoon.
  activity: {
    hourOfDay: [0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.4, 1.5, 1.6, 1.6, 1.5, 1.4, 1.5, 1.7, 1.8, 1.7, 1.5, 1.2, 0.9, 0.7, 0.5, 0.4, 0.3, 0.3],
  },
  // Weekends, the year-end shutdown and quarter-end: calendars/global.ts.
  calendar: globalCalendar,

  people: {
    firstNames: englishFirstNames,
    lastNames: englishLastNames,
  },
  phonePatterns: ['+1 ###-###-####', '+44 20 #### ####', '+49 30 #######', '+86 21 ########', '+81 3-####-####'],
  emailDomains: ['example.com', 'example.org', 'example.net'],

  geography: {
    regions: [
      {
        name: 'North America',
        weight: 35,
        places: [
          { city: { en: 'Detroit' }, state: 'MI', stateName: { en: 'Michigan' }, country: 'USA', areas: [{ en: 'Southwest Detroit', zip: '48209' }, { en: 'Downtown', zip: '48226' }], deliveryRegion: 'DOMESTIC', weight: 25 },
          { city: { en: 'Chicago' }, state: 'IL', stateName: { en: 'Illinois' }, country: 'USA', areas: [{ en: 'West Loop', zip: '60607' }, { en: 'Back of the Yards', zip: '60609' }], deliveryRegion: 'DOMESTIC', weight: 20 },
          { city: { en: 'Houston' }, state: 'TX', stateName: { en: 'Texas' }, country: 'USA', areas: [{ en: 'Downtown', zip: '77002' }, { en: 'Ship Channel', zip: '77029' }], deliveryRegion: 'DOMESTIC', weight: 15 },
          { city: { en: 'San Jose' }, state: 'CA', stateName: { en: 'California' }, country: 'USA', areas: [{ en: 'Downtown', zip: '95113' }, { en: 'North San Jose', zip: '95134' }], deliveryRegion: 'DOMESTIC', weight: 25 },
          { city: { en: 'Austin' }, state: 'TX', stateName: { en: 'Texas' }, country: 'USA', areas: [{ en: 'Downtown', zip: '78701' }, { en: 'Northeast Austin', zip: '78754' }], deliveryRegion: 'DOMESTIC', weight: 15 },
        ],
      },
      {
        name: 'Europe',
        weight: 25,
        places: [
          { city: { en: 'Stuttgart' }, state: 'BW', stateName: { en: 'Baden-Württemberg' }, country: 'DEU', areas: [{ en: 'Mitte', zip: '70173' }, { en: 'Vaihingen', zip: '70565' }], deliveryRegion: 'INTERNATIONAL', weight: 25 },
          { city: { en: 'Munich' }, state: 'BY', stateName: { en: 'Bavaria' }, country: 'DEU', areas: [{ en: 'Altstadt', zip: '80331' }, { en: 'Milbertshofen', zip: '80809' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          { city: { en: 'Milan' }, state: 'LOM', stateName: { en: 'Lombardy' }, country: 'ITA', areas: [{ en: 'Brera', zip: '20121' }, { en: 'Bicocca', zip: '20126' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          { city: { en: 'Lyon' }, state: 'ARA', stateName: { en: 'Auvergne-Rhône-Alpes' }, country: 'FRA', areas: [{ en: "Presqu'île", zip: '69002' }, { en: 'Gerland', zip: '69007' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
          { city: { en: 'Barcelona' }, state: 'CT', stateName: { en: 'Catalonia' }, country: 'ESP', areas: [{ en: 'Poblenou', zip: '08005' }, { en: 'Zona Franca', zip: '08040' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
        ],
      },
      {
        name: 'Asia Pacific',
        weight: 25,
        places: [
          // China's six-digit codes: first five digits (518057 Nanshan, 518048 Futian).
          { city: { en: 'Shenzhen' }, state: 'GD', stateName: { en: 'Guangdong' }, country: 'CHN', areas: [{ en: 'Futian', zip: '51804' }, { en: 'Nanshan', zip: '51805' }], deliveryRegion: 'INTERNATIONAL', weight: 30 },
          { city: { en: 'Suwon' }, state: 'GG', stateName: { en: 'Gyeonggi' }, country: 'KOR', areas: [{ en: 'Paldal', zip: '16490' }, { en: 'Yeongtong', zip: '16677' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          { city: { en: 'Hsinchu' }, state: 'HSZ', stateName: { en: 'Hsinchu City' }, country: 'TWN', areas: [{ en: 'East District', zip: '30041' }, { en: 'Hsinchu Science Park', zip: '30078' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          { city: { en: 'Penang' }, state: 'PNG', stateName: { en: 'Penang' }, country: 'MYS', areas: [{ en: 'George Town', zip: '10200' }, { en: 'Bayan Lepas', zip: '11900' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
          // Japan's seven-digit codes: first five digits (450-0002 Nakamura, 460-0008 Naka).
          { city: { en: 'Nagoya' }, state: 'AIC', stateName: { en: 'Aichi' }, country: 'JPN', areas: [{ en: 'Nakamura', zip: '45000' }, { en: 'Naka', zip: '46000' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
        ],
      },
      {
        name: 'Latin America',
        weight: 8,
        places: [
          { city: { en: 'Monterrey' }, state: 'NLE', stateName: { en: 'Nuevo León' }, country: 'MEX', areas: [{ en: 'Centro', zip: '64000' }, { en: 'Obispado', zip: '64060' }], deliveryRegion: 'INTERNATIONAL', weight: 25 },
          { city: { en: 'Guadalajara' }, state: 'JAL', stateName: { en: 'Jalisco' }, country: 'MEX', areas: [{ en: 'Centro', zip: '44100' }, { en: 'Zona Industrial', zip: '44940' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          { city: { en: 'Querétaro' }, state: 'QRO', stateName: { en: 'Querétaro' }, country: 'MEX', areas: [{ en: 'Centro', zip: '76000' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
          // Brazil's eight-digit CEPs: the five-digit prefix (01310-100 → 01310).
          { city: { en: 'São Paulo' }, state: 'SP', stateName: { en: 'São Paulo' }, country: 'BRA', areas: [{ en: 'Bela Vista', zip: '01310' }, { en: 'Santo Amaro', zip: '04709' }], deliveryRegion: 'INTERNATIONAL', weight: 25 },
          { city: { en: 'Manaus' }, state: 'AM', stateName: { en: 'Amazonas' }, country: 'BRA', areas: [{ en: 'Centro', zip: '69005' }, { en: 'Distrito Industrial', zip: '69075' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
        ],
      },
      {
        name: 'Middle East & Africa',
        weight: 7,
        places: [
          // The UAE has no postal codes; Jebel Ali Free Zone's P.O. box 17000 stands in.
          { city: { en: 'Dubai' }, state: 'DU', stateName: { en: 'Dubai' }, country: 'ARE', areas: [{ en: 'Jebel Ali Free Zone', zip: '17000' }], deliveryRegion: 'INTERNATIONAL', weight: 25 },
          { city: { en: 'Istanbul' }, state: 'IST', stateName: { en: 'Istanbul' }, country: 'TUR', areas: [{ en: 'Levent', zip: '34330' }, { en: 'Tuzla', zip: '34940' }], deliveryRegion: 'INTERNATIONAL', weight: 25 },
          { city: { en: 'Riyadh' }, state: 'RIY', stateName: { en: 'Riyadh Province' }, country: 'SAU', areas: [{ en: 'Olaya', zip: '12211' }, { en: 'Second Industrial City', zip: '14332' }], deliveryRegion: 'INTERNATIONAL', weight: 20 },
          // South Africa's four-digit codes, zero-padded.
          { city: { en: 'Johannesburg' }, state: 'GT', stateName: { en: 'Gauteng' }, country: 'ZAF', areas: [{ en: 'Marshalltown', zip: '02001' }, { en: 'Sandton', zip: '02196' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
          { city: { en: 'Cairo' }, state: 'CAI', stateName: { en: 'Cairo Governorate' }, country: 'EGY', areas: [{ en: 'Downtown', zip: '11511' }, { en: 'New Cairo', zip: '11835' }], deliveryRegion: 'INTERNATIONAL', weight: 15 },
        ],
      },
    ],
    streets: englishStreets,
    streetSuffixes: englishStreetSuffixes,
    buildingNumber: [1, 9999],
  },
  deliveryRegions: [
    { code: 'DOMESTIC', weekdays: [1, 2, 3, 4, 5], extraTransitDays: 0 },
    { code: 'INTERNATIONAL', weekdays: [1, 2, 3, 4, 5], extraTransitDays: 2 },
  ],

  companies: {
    brandWords: [
      { en: 'Apex' },
      { en: 'Vertex' },
      { en: 'Meridian' },
      { en: 'Titan' },
      { en: 'Nordic' },
      { en: 'Pacific' },
      { en: 'Atlas' },
      { en: 'Orion' },
      { en: 'Sterling' },
      { en: 'Horizon' },
      { en: 'Quantum' },
      { en: 'Zenith' },
      { en: 'Helix' },
      { en: 'Vector' },
      { en: 'Polaris' },
      { en: 'Cobalt' },
      { en: 'Summit' },
      { en: 'Nova' },
    ],
    brandCores: [],
    naming: [
      { segment: 'automotive', words: [{ en: 'Automotive' }, { en: 'Motors' }, { en: 'Auto Parts' }, { en: 'Drivetrain Systems' }], placeShare: 0.25 },
      { segment: 'consumer_electronics', words: [{ en: 'Electronics' }, { en: 'Devices' }, { en: 'Consumer Tech' }, { en: 'Audio' }], placeShare: 0.2 },
      { segment: 'industrial', words: [{ en: 'Industries' }, { en: 'Manufacturing' }, { en: 'Engineering' }, { en: 'Robotics' }, { en: 'Instruments' }], placeShare: 0.25 },
      { segment: 'medical', words: [{ en: 'Medical Systems' }, { en: 'Medtech' }, { en: 'Diagnostics' }], placeShare: 0.15 },
      { segment: 'aerospace', words: [{ en: 'Aerospace' }, { en: 'Avionics' }, { en: 'Aeronautics' }], placeShare: 0.15 },
    ],
    legalForms: [{ en: 'Ltd' }],
    legalFormsByCountry: {
      USA: [{ en: 'Inc.' }, { en: 'Corp.' }, { en: 'LLC' }],
      DEU: [{ en: 'GmbH' }, { en: 'AG' }],
      ITA: [{ en: 'S.p.A.' }, { en: 'S.r.l.' }],
      FRA: [{ en: 'S.A.' }, { en: 'SAS' }],
      ESP: [{ en: 'S.A.' }, { en: 'S.L.' }],
      CHN: [{ en: 'Co., Ltd.' }],
      KOR: [{ en: 'Co., Ltd.' }],
      TWN: [{ en: 'Co., Ltd.' }, { en: 'Corp.' }],
      MYS: [{ en: 'Sdn. Bhd.' }],
      JPN: [{ en: 'Co., Ltd.' }, { en: 'K.K.' }],
      MEX: [{ en: 'S.A. de C.V.' }],
      BRA: [{ en: 'Ltda.' }, { en: 'S.A.' }],
      ARE: [{ en: 'FZE' }, { en: 'LLC' }],
      TUR: [{ en: 'A.Ş.' }],
      SAU: [{ en: 'LLC' }],
      ZAF: [{ en: '(Pty) Ltd' }],
      EGY: [{ en: 'S.A.E.' }],
    },
    segments: [
      { value: 'automotive', weight: 30 },
      { value: 'consumer_electronics', weight: 25 },
      { value: 'industrial', weight: 25 },
      { value: 'medical', weight: 10 },
      { value: 'aerospace', weight: 10 },
    ],
    taxNumberPattern: 'VAT##########',
    commercialRegisterPattern: 'REG######',
    paymentTerms: [
      { value: 'prepaid', weight: 10 },
      { value: 'net_15', weight: 10 },
      { value: 'net_30', weight: 50 },
      { value: 'net_60', weight: 30 },
    ],
    monthlyCycleShare: 0.5,
    creditLimitRange: [50000, 2000000],
    contactsPerCompany: [1, 3],
  },

  customers: {
    baseCount: 100,
    b2bOrderShare: 0.95,
    vipShare: 0.15,
  },

  products: {
    count: 10,
    // No variants: categories × items give exactly PROD-001 … PROD-010 in this order.
    categories: [
      {
        en: 'Semiconductors',
        priceRange: [2.5, 450],
        unit: 'piece',
        items: [
          { en: 'Microprocessors', price: 185 },
          { en: 'Memory chips', price: 12.5 },
        ],
        variants: [],
        suppliers: ['TechCorp Solutions', 'Premium Components', 'Reliable Systems'],
      },
      {
        en: 'Circuit Assemblies',
        priceRange: [4.5, 95],
        unit: 'piece',
        items: [{ en: 'Circuit boards', price: 28.75 }],
        variants: [],
        suppliers: ['Global Parts Inc', 'Reliable Systems', 'Budget Suppliers Ltd'],
      },
      {
        en: 'Mechanical',
        priceRange: [0.85, 45],
        unit: 'piece',
        items: [
          { en: 'Steel components', price: 3.4 },
          { en: 'Aluminum parts', price: 5.8 },
        ],
        variants: [],
        suppliers: ['Global Parts Inc', 'Budget Suppliers Ltd', 'FastTrack Logistics'],
      },
      {
        en: 'Materials',
        priceRange: [1.2, 6.5],
        unit: 'kg',
        items: [{ en: 'Plastic materials', price: 2.1 }],
        variants: [],
        suppliers: ['Budget Suppliers Ltd', 'FastTrack Logistics', 'Global Parts Inc'],
      },
      {
        en: 'Electrical',
        priceRange: [0.35, 120],
        unit: 'piece',
        items: [
          { en: 'Electronic sensors', price: 8.9 },
          { en: 'Power supplies', price: 34.5 },
          { en: 'Cables', price: 4.25 },
          { en: 'Connectors', price: 0.65 },
        ],
        variants: [],
        suppliers: ['TechCorp Solutions', 'Premium Components', 'Reliable Systems', 'FastTrack Logistics'],
      },
    ],
    idDigits: 3,
  },
  suppliers: [
    { name: 'TechCorp Solutions', country: 'USA', region: 'North America', leadTimeDays: [7, 14] },
    { name: 'Global Parts Inc', country: 'USA', region: 'North America', leadTimeDays: [10, 21] },
    { name: 'Budget Suppliers Ltd', country: 'CHN', region: 'Asia Pacific', leadTimeDays: [21, 45] },
    { name: 'Premium Components', country: 'DEU', region: 'Europe', leadTimeDays: [14, 28] },
    { name: 'FastTrack Logistics', country: 'SGP', region: 'Asia Pacific', leadTimeDays: [3, 10] },
    { name: 'Reliable Systems', country: 'JPN', region: 'Asia Pacific', leadTimeDays: [14, 30] },
  ],

  orders: {
    baskets: {
      // Labs, repair shops and makers buying by the piece.
      b2c: {
        lines: [60, 25, 15],
        quantities: [
          { value: 1, weight: 30 },
          { value: 2, weight: 25 },
          { value: 5, weight: 20 },
          { value: 10, weight: 15 },
          { value: 20, weight: 10 },
        ],
        bulkFactor: [2, 3],
      },
      // Manufacturers: reels, trays and cartons; a heavy tail of production runs.
      b2b: {
        lines: [35, 30, 20, 15],
        quantities: [
          { value: 10, weight: 14 },
          { value: 20, weight: 14 },
          { value: 25, weight: 12 },
          { value: 50, weight: 18 },
          { value: 100, weight: 20 },
          { value: 200, weight: 9 },
          { value: 250, weight: 6 },
          { value: 500, weight: 5 },
          { value: 1000, weight: 2 },
        ],
        bulkFactor: [5, 20],
      },
    },
    priceVariation: 0,
    paymentMethods: [
      { value: 'bank_transfer', weight: 70 },
      { value: 'credit_card', weight: 15 },
      { value: 'paypal', weight: 5 },
      { value: 'debit_card', weight: 5 },
      { value: 'google_pay', weight: 2.5 },
      { value: 'apple_pay', weight: 2.5 },
    ],
    payOnDeliveryMethods: [],
    carriers: ['DHL Global Forwarding', 'FedEx Freight', 'Maersk', 'Kuehne+Nagel', 'UPS Supply Chain'],
    trackingPattern: 'TRK######',
    cancellationReasons: [
      'out_of_stock',
      'supplier_capacity_shortage',
      'customer_request',
      'credit_hold',
      'duplicate_purchase_order',
      'specification_change',
      'price_dispute',
      'export_license_denied',
    ],
    deliveryFailureReasons: [
      'customs_hold',
      'incorrect_delivery_address',
      'receiving_dock_closed',
      'freight_damaged_in_transit',
      'missing_shipping_documents',
      'carrier_capacity_shortage',
      'port_congestion',
    ],
    refundReasons: [
      'defective_components',
      'out_of_spec_tolerance',
      'wrong_part_number',
      'short_shipment',
      'damaged_packaging',
      'failed_incoming_inspection',
      'late_delivery_penalty',
    ],
    refundRejectionReasons: [
      'inspection_window_expired',
      'parts_already_installed',
      'missing_rma_number',
      'damage_after_receipt',
      'non_conforming_return_packaging',
      'custom_order_non_returnable',
    ],
    discountCodes: ['VOLUME5', 'VOLUME10', 'Q4CONTRACT', 'ANNUALPO8', 'EARLYPAY2', 'NEWPLANT7', 'FRAMEWORK12'],
    notes: {
      rush_orders: 'Express delivery required',
      bulk_orders: 'Large quantity order',
      regular_orders: 'Standard processing',
      premium_orders: 'Priority supplier agreement',
      delayed_orders: 'Backorder processing',
    },
  },

  maintenance: {
    visitTypes: [
      { value: 'installation', weight: 25 },
      { value: 'repair', weight: 35 },
      { value: 'preventive', weight: 40 },
    ],
    services: [
      { en: 'Pick-and-place machine calibration' },
      { en: 'Reflow oven profiling' },
      { en: 'SMT line preventive maintenance' },
      { en: 'CNC spindle alignment' },
      { en: 'Power supply burn-in rig service' },
      { en: 'Automated optical inspection recalibration' },
      { en: 'Conveyor system overhaul' },
      { en: 'ESD protection audit' },
    ],
    spareParts: [
      { en: 'Pick-and-place nozzle set', costRange: [120, 480] },
      { en: 'Reflow oven heater element', costRange: [350, 1200] },
      { en: 'Tape feeder assembly', costRange: [450, 1800] },
      { en: 'Conveyor belt', costRange: [200, 900] },
      { en: 'Servo motor', costRange: [600, 2500] },
      { en: 'AOI camera module', costRange: [1500, 6000] },
      { en: 'Solder paste stencil', costRange: [150, 650] },
      { en: 'Spindle bearing kit', costRange: [300, 1400] },
      { en: 'Vacuum pump', costRange: [400, 1600] },
    ],
    laborCostRange: [150, 600],
  },
};
