/**
 * Every entity orderstream produces, declared once. The key order of each schema is the
 * column order of CSV output and the field order of JSON output, so these schemas are the
 * single contract for files, the database, the API and the tests.
 */
import { z } from 'zod';

const isoTime = z.iso.datetime();
const money = z.number().multipleOf(0.01);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

export const ORDER_STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'failed'] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const PATTERN_NAMES = ['rush_orders', 'bulk_orders', 'regular_orders', 'premium_orders', 'delayed_orders'] as const;
export const PatternName = z.enum(PATTERN_NAMES);
export type PatternName = z.infer<typeof PatternName>;

export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export const Priority = z.enum(PRIORITIES);

export const USER_ROLES = ['admin', 'manager', 'sales', 'support'] as const;
export const UserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRole>;

/** spec 004's payment methods, plus cash on delivery for markets that use it. */
export const PAYMENT_METHODS = ['credit_card', 'debit_card', 'paypal', 'apple_pay', 'google_pay', 'bank_transfer', 'cash_on_delivery'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);

export const ShippingAddress = z.object({
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zip_code: z.string().regex(/^\d{5}$/),
  country: z.string().length(3),
});
export type ShippingAddress = z.infer<typeof ShippingAddress>;

export const StatusChange = z.object({ status: OrderStatus, at: isoTime });

export const User = z.object({
  user_id: z.string().regex(/^USR-\d{4,}$/),
  full_name: z.string(),
  full_name_ar: nullable(z.string()),
  email: z.string(),
  phone: z.string(),
  role: UserRole,
  active: z.boolean(),
  created_at: isoTime,
});

/** Where a company or branch is: its place, delivery region and phone. */
const site = {
  region: z.string(),
  city: z.string(),
  state: z.string(),
  area: z.string(),
  address: z.string(),
  delivery_region: z.string(),
  phone: z.string(),
};

export const Company = z.object({
  company_id: z.string().regex(/^COMP-\d{5,}$/),
  name: z.string(),
  name_ar: nullable(z.string()),
  segment: z.string(),
  tax_number: z.string(),
  commercial_register: z.string(),
  ...site,
  email: z.string(),
  payment_terms: z.enum(['prepaid', 'net_15', 'net_30', 'net_60']),
  payment_cycle: z.enum(['per_order', 'monthly']),
  payment_cycle_day: nullable(z.number().int().min(1).max(28)),
  credit_limit: money,
  currency: z.string(),
  account_manager_id: z.string(),
  created_at: isoTime,
});

export const Branch = z.object({
  branch_id: z.string().regex(/^BR-\d{5,}$/),
  company_id: z.string(),
  name: z.string(),
  name_ar: nullable(z.string()),
  ...site,
  opened_at: isoTime,
});

export const Customer = z.object({
  customer_id: z.string().regex(/^CUST-\d{6,}$/),
  first_name: z.string(),
  last_name: z.string(),
  full_name: z.string(),
  full_name_ar: nullable(z.string()),
  email: z.string(),
  phone: z.string(),
  company_id: nullable(z.string()),
  branch_id: nullable(z.string()),
  tier: z.enum(['standard', 'vip']),
  region: z.string(),
  delivery_region: z.string(),
  shipping_address: ShippingAddress,
  created_at: isoTime,
});

export const Supplier = z.object({
  supplier_id: z.string().regex(/^SUP-\d{3,}$/),
  name: z.string(),
  country: z.string().length(3),
  region: z.string(),
  lead_time_days_min: z.number().int(),
  lead_time_days_max: z.number().int(),
  email: z.string(),
  phone: z.string(),
  rating: z.number().min(1).max(5),
});

export const Product = z.object({
  product_id: z.string().regex(/^PROD-\d{3,}$/),
  sku: z.string(),
  name: z.string(),
  name_ar: nullable(z.string()),
  category: z.string(),
  supplier_id: z.string(),
  unit: z.string(),
  unit_price: money,
  currency: z.string(),
  popularity_rank: z.number().int().min(1),
  /** Par level: the stock each day opens with, restored by the nightly restock. */
  stock_quantity: z.number().int().min(0),
  reorder_threshold: z.number().int().min(0),
  created_at: isoTime,
});

export const Order = z.object({
  order_id: z.string().regex(/^ORD-\d{8,}$/, 'an order id: ORD- and 8 or more digits, e.g. ORD-93239605'),
  customer_id: z.string(),
  customer_email: z.string(),
  company_id: nullable(z.string()),
  branch_id: nullable(z.string()),
  sales_rep_id: nullable(z.string()),
  supplier_id: z.string(),
  pattern_type: PatternName,
  priority: Priority,
  region: z.string(),
  delivery_region: z.string(),
  /** spec 004 sale fields: the order's primary (first) line. total = round(quantity × price, 2). */
  product_id: z.string(),
  product_name: z.string(),
  quantity: z.number().int().min(1),
  price: money,
  total: money,
  items_count: z.number().int().min(1),
  /** Σ order_items.net_total. */
  subtotal: money,
  /** Order-level discount (item discounts are already inside subtotal). */
  discount_amount: money,
  /** What the customer owes: subtotal − discount_amount. */
  total_amount: money,
  currency: z.string(),
  payment_method: PaymentMethod,
  shipping_address: ShippingAddress,
  status: OrderStatus,
  status_history: z.array(StatusChange),
  order_date: isoTime,
  expected_delivery: isoTime,
  delivered_at: nullable(isoTime),
  tracking_number: nullable(z.string()),
  cancellation_reason: nullable(z.string()),
  notes: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
});

export const OrderItem = z.object({
  order_item_id: z.string(),
  order_id: z.string(),
  line_number: z.number().int().min(1),
  product_id: z.string(),
  product_name: z.string(),
  quantity: z.number().int().min(1),
  unit_price: money,
  line_total: money,
  discount_amount: money,
  net_total: money,
  fulfilment: z.enum(['allocated', 'backordered', 'cancelled']),
});

export const INVENTORY_MOVEMENT_TYPES = ['fulfilment', 'restock', 'return', 'adjustment'] as const;
export const InventoryMovement = z.object({
  movement_id: z.string(),
  product_id: z.string(),
  movement_type: z.enum(INVENTORY_MOVEMENT_TYPES),
  /** Signed: negative leaves the warehouse. */
  quantity: z.number().int(),
  /** Sellable stock after the movement; null for returns, which go to the returns bin. */
  stock_after: nullable(z.number().int()),
  order_id: nullable(z.string()),
  reason: nullable(z.string()),
  occurred_at: isoTime,
});

export const DeliveryAttempt = z.object({
  at: isoTime,
  outcome: z.enum(['delivered', 'failed']),
  reason: nullable(z.string()),
});

export const Shipment = z.object({
  shipment_id: z.string(),
  order_id: z.string(),
  carrier: z.string(),
  tracking_number: z.string(),
  delivery_region: z.string(),
  status: z.enum(['in_transit', 'delivered', 'failed']),
  shipped_at: isoTime,
  expected_delivery: isoTime,
  delivered_at: nullable(isoTime),
  attempts: z.number().int().min(0),
  failure_reason: nullable(z.string()),
  attempt_log: z.array(DeliveryAttempt),
});

export const Payment = z.object({
  payment_id: z.string(),
  order_id: z.string(),
  customer_id: z.string(),
  company_id: nullable(z.string()),
  method: PaymentMethod,
  amount: money,
  currency: z.string(),
  status: z.enum(['paid', 'pending', 'overdue', 'void']),
  due_at: isoTime,
  paid_at: nullable(isoTime),
  days_late: z.number().int().min(0),
  /** Set when a company settles all invoices of a month in one bulk payment. */
  batch_id: nullable(z.string()),
});

export const Discount = z.object({
  discount_id: z.string(),
  order_id: z.string(),
  order_item_id: nullable(z.string()),
  scope: z.enum(['order', 'item']),
  discount_type: z.enum(['percentage', 'fixed']),
  code: nullable(z.string()),
  value: z.number(),
  amount: money,
  applied_at: isoTime,
});

export const Refund = z.object({
  refund_id: z.string(),
  order_id: z.string(),
  payment_id: z.string(),
  amount: money,
  reason: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  requested_at: isoTime,
  resolved_at: nullable(isoTime),
  resolved_by: nullable(z.string()),
  rejection_reason: nullable(z.string()),
});

export const SparePartUse = z.object({ part: z.string(), quantity: z.number().int().min(1), unit_cost: money });

export const MaintenanceVisit = z.object({
  visit_id: z.string(),
  company_id: z.string(),
  branch_id: nullable(z.string()),
  technician_id: z.string(),
  visit_type: z.string(),
  status: z.enum(['scheduled', 'completed', 'cancelled']),
  scheduled_at: isoTime,
  completed_at: nullable(isoTime),
  services: z.array(z.string()),
  spare_parts: z.array(SparePartUse),
  labor_cost: money,
  parts_cost: money,
  total_cost: money,
  follow_up_required: z.boolean(),
  follow_up_of: nullable(z.string()),
});

export const AuditLog = z.object({
  audit_id: z.string(),
  actor_type: z.enum(['user', 'customer', 'system']),
  user_id: nullable(z.string()),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  occurred_at: isoTime,
  ip_address: nullable(z.string()),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** A forecast the demand planner made (forecast.generated) or revised (forecast.updated). */
export const Forecast = z.object({
  forecast_id: z.string(),
  kind: z.enum(['generated', 'updated']),
  scope: z.enum(['category', 'product']),
  category: z.string(),
  product_id: nullable(z.string()),
  method: z.string(),
  made_at: isoTime,
  start_date: z.iso.date(),
  horizon_days: z.number().int(),
  /** Expected units over the horizon. */
  predicted_demand: z.number(),
  /** The forecast it revised: its predicted_demand. */
  previous_demand: nullable(z.number()),
  /** Per day: {date, demand (median), expected, lower, upper}. */
  daily: z.array(z.object({ date: z.string(), demand: z.number(), expected: z.number(), lower: z.number(), upper: z.number() })),
});

export const ALERT_TYPES = ['low_stock', 'reorder_needed', 'stockout_risk', 'dead_stock'] as const;

/** An inventory alert the warehouse raised (alert.* events), with its payload. */
export const Alert = z.object({
  alert_id: z.string(),
  alert_type: z.enum(ALERT_TYPES),
  alert_level: z.enum(['info', 'warning', 'critical']),
  raised_at: isoTime,
  /** The product, when the alert is about one. */
  product_id: nullable(z.string()),
  product_ids: z.array(z.string()),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** A day's figures (analytics.daily_summary). */
export const DailySummary = z.object({
  date: z.iso.date(),
  orders: z.number().int(),
  revenue: money,
  currency: z.string(),
  average_order_value: money,
  delayed: z.number().int(),
  pending: z.number().int(),
  shipped: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  by_region: z.record(z.string(), z.number().int()),
  by_pattern: z.record(z.string(), z.number().int()),
  top_products: z.array(z.object({ product_id: z.string(), product_name: z.string(), units: z.number().int() })),
});

/** Entities in dependency order: a table only references tables before it. */
export const ENTITY_SCHEMAS = {
  users: User,
  companies: Company,
  branches: Branch,
  customers: Customer,
  suppliers: Supplier,
  products: Product,
  orders: Order,
  order_items: OrderItem,
  inventory_movements: InventoryMovement,
  shipments: Shipment,
  payments: Payment,
  discounts: Discount,
  refunds: Refund,
  maintenance_visits: MaintenanceVisit,
  audit_logs: AuditLog,
  forecasts: Forecast,
  alerts: Alert,
  daily_summaries: DailySummary,
} as const;

export type EntityName = keyof typeof ENTITY_SCHEMAS;
export const ENTITY_NAMES = Object.keys(ENTITY_SCHEMAS) as EntityName[];
/** Tables fixed before the first order (generated once, not per day). */
export const DIMENSION_ENTITIES = ['users', 'companies', 'branches', 'customers', 'suppliers', 'products'] as const satisfies readonly EntityName[];
export type DimensionEntity = (typeof DIMENSION_ENTITIES)[number];
/** Tables of what the warehouse and the planner said (written from the engine's own events, not per order). */
export const ENGINE_ENTITIES = ['forecasts', 'alerts', 'daily_summaries'] as const satisfies readonly EntityName[];
export type EngineEntity = (typeof ENGINE_ENTITIES)[number];
/** Tables of what orders did, rendered day by day. */
export const FACT_ENTITIES = ENTITY_NAMES.filter((n) => !(DIMENSION_ENTITIES as readonly string[]).includes(n) && !(ENGINE_ENTITIES as readonly string[]).includes(n)) as FactEntity[];
export type FactEntity = Exclude<EntityName, DimensionEntity | EngineEntity>;

export type Entities = { [K in EntityName]: z.infer<(typeof ENTITY_SCHEMAS)[K]> };
export type UserRecord = Entities['users'];
export type CompanyRecord = Entities['companies'];
export type BranchRecord = Entities['branches'];
export type CustomerRecord = Entities['customers'];
export type SupplierRecord = Entities['suppliers'];
export type ProductRecord = Entities['products'];
export type OrderRecord = Entities['orders'];
export type OrderItemRecord = Entities['order_items'];
export type InventoryMovementRecord = Entities['inventory_movements'];
export type ShipmentRecord = Entities['shipments'];
export type PaymentRecord = Entities['payments'];
export type DiscountRecord = Entities['discounts'];
export type RefundRecord = Entities['refunds'];
export type MaintenanceVisitRecord = Entities['maintenance_visits'];
export type AuditLogRecord = Entities['audit_logs'];
export type ForecastRecord = Entities['forecasts'];
export type AlertRecord = Entities['alerts'];
export type DailySummaryRecord = Entities['daily_summaries'];

/** Foreign keys, declared once: validation and (later) the database schema read this. */
export const FOREIGN_KEYS: ReadonlyArray<{ from: EntityName; column: string; to: EntityName; nullable: boolean }> = [
  { from: 'companies', column: 'account_manager_id', to: 'users', nullable: false },
  { from: 'branches', column: 'company_id', to: 'companies', nullable: false },
  { from: 'customers', column: 'company_id', to: 'companies', nullable: true },
  { from: 'customers', column: 'branch_id', to: 'branches', nullable: true },
  { from: 'products', column: 'supplier_id', to: 'suppliers', nullable: false },
  { from: 'orders', column: 'customer_id', to: 'customers', nullable: false },
  { from: 'orders', column: 'company_id', to: 'companies', nullable: true },
  { from: 'orders', column: 'branch_id', to: 'branches', nullable: true },
  { from: 'orders', column: 'sales_rep_id', to: 'users', nullable: true },
  { from: 'orders', column: 'supplier_id', to: 'suppliers', nullable: false },
  { from: 'orders', column: 'product_id', to: 'products', nullable: false },
  { from: 'order_items', column: 'order_id', to: 'orders', nullable: false },
  { from: 'order_items', column: 'product_id', to: 'products', nullable: false },
  { from: 'inventory_movements', column: 'product_id', to: 'products', nullable: false },
  { from: 'inventory_movements', column: 'order_id', to: 'orders', nullable: true },
  { from: 'shipments', column: 'order_id', to: 'orders', nullable: false },
  { from: 'payments', column: 'order_id', to: 'orders', nullable: false },
  { from: 'payments', column: 'customer_id', to: 'customers', nullable: false },
  { from: 'payments', column: 'company_id', to: 'companies', nullable: true },
  { from: 'discounts', column: 'order_id', to: 'orders', nullable: false },
  { from: 'discounts', column: 'order_item_id', to: 'order_items', nullable: true },
  { from: 'refunds', column: 'order_id', to: 'orders', nullable: false },
  { from: 'refunds', column: 'payment_id', to: 'payments', nullable: false },
  { from: 'refunds', column: 'resolved_by', to: 'users', nullable: true },
  { from: 'maintenance_visits', column: 'company_id', to: 'companies', nullable: false },
  { from: 'maintenance_visits', column: 'branch_id', to: 'branches', nullable: true },
  { from: 'maintenance_visits', column: 'technician_id', to: 'users', nullable: false },
  { from: 'maintenance_visits', column: 'follow_up_of', to: 'maintenance_visits', nullable: true },
  { from: 'audit_logs', column: 'user_id', to: 'users', nullable: true },
  { from: 'forecasts', column: 'product_id', to: 'products', nullable: true },
  { from: 'alerts', column: 'product_id', to: 'products', nullable: true },
];

export const PRIMARY_KEYS: { [K in EntityName]: string } = {
  users: 'user_id',
  companies: 'company_id',
  branches: 'branch_id',
  customers: 'customer_id',
  suppliers: 'supplier_id',
  products: 'product_id',
  orders: 'order_id',
  order_items: 'order_item_id',
  inventory_movements: 'movement_id',
  shipments: 'shipment_id',
  payments: 'payment_id',
  discounts: 'discount_id',
  refunds: 'refund_id',
  maintenance_visits: 'visit_id',
  audit_logs: 'audit_id',
  forecasts: 'forecast_id',
  alerts: 'alert_id',
  daily_summaries: 'date',
};
