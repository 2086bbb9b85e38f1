/** The entity tables as schema.ts generated them (test/store/schema.test.ts keeps this in step with the zod schemas). */
export default `
CREATE SCHEMA IF NOT EXISTS mock_data;
CREATE TABLE mock_data.users (
  user_id text NOT NULL,
  full_name text NOT NULL,
  full_name_ar text,
  email text NOT NULL,
  phone text NOT NULL,
  role text NOT NULL,
  active boolean NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id)
);
CREATE TABLE mock_data.companies (
  company_id text NOT NULL,
  name text NOT NULL,
  name_ar text,
  segment text NOT NULL,
  tax_number text NOT NULL,
  commercial_register text NOT NULL,
  region text NOT NULL,
  city text NOT NULL,
  state text NOT NULL,
  area text NOT NULL,
  address text NOT NULL,
  delivery_region text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  payment_terms text NOT NULL,
  payment_cycle text NOT NULL,
  payment_cycle_day integer,
  credit_limit numeric(14,2) NOT NULL,
  currency text NOT NULL,
  account_manager_id text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id)
);
CREATE TABLE mock_data.branches (
  branch_id text NOT NULL,
  company_id text NOT NULL,
  name text NOT NULL,
  name_ar text,
  region text NOT NULL,
  city text NOT NULL,
  state text NOT NULL,
  area text NOT NULL,
  address text NOT NULL,
  delivery_region text NOT NULL,
  phone text NOT NULL,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (branch_id)
);
CREATE TABLE mock_data.customers (
  customer_id text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  full_name text NOT NULL,
  full_name_ar text,
  email text NOT NULL,
  phone text NOT NULL,
  company_id text,
  branch_id text,
  tier text NOT NULL,
  region text NOT NULL,
  delivery_region text NOT NULL,
  shipping_address_street text NOT NULL,
  shipping_address_city text NOT NULL,
  shipping_address_state text NOT NULL,
  shipping_address_zip_code text NOT NULL,
  shipping_address_country text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id)
);
CREATE TABLE mock_data.suppliers (
  supplier_id text NOT NULL,
  name text NOT NULL,
  country text NOT NULL,
  region text NOT NULL,
  lead_time_days_min integer NOT NULL,
  lead_time_days_max integer NOT NULL,
  email text NOT NULL,
  phone text NOT NULL,
  rating double precision NOT NULL,
  PRIMARY KEY (supplier_id)
);
CREATE TABLE mock_data.products (
  product_id text NOT NULL,
  sku text NOT NULL,
  name text NOT NULL,
  name_ar text,
  category text NOT NULL,
  supplier_id text NOT NULL,
  unit text NOT NULL,
  unit_price numeric(14,2) NOT NULL,
  currency text NOT NULL,
  popularity_rank integer NOT NULL,
  stock_quantity integer NOT NULL,
  reorder_threshold integer NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (product_id)
);
CREATE TABLE mock_data.orders (
  order_id text NOT NULL,
  customer_id text NOT NULL,
  customer_email text NOT NULL,
  company_id text,
  branch_id text,
  sales_rep_id text,
  supplier_id text NOT NULL,
  pattern_type text NOT NULL,
  priority text NOT NULL,
  region text NOT NULL,
  delivery_region text NOT NULL,
  product_id text NOT NULL,
  product_name text NOT NULL,
  quantity integer NOT NULL,
  price numeric(14,2) NOT NULL,
  total numeric(14,2) NOT NULL,
  items_count integer NOT NULL,
  subtotal numeric(14,2) NOT NULL,
  discount_amount numeric(14,2) NOT NULL,
  total_amount numeric(14,2) NOT NULL,
  currency text NOT NULL,
  payment_method text NOT NULL,
  shipping_address_street text NOT NULL,
  shipping_address_city text NOT NULL,
  shipping_address_state text NOT NULL,
  shipping_address_zip_code text NOT NULL,
  shipping_address_country text NOT NULL,
  status text NOT NULL,
  status_history json NOT NULL,
  order_date timestamptz NOT NULL,
  expected_delivery timestamptz NOT NULL,
  delivered_at timestamptz,
  tracking_number text,
  cancellation_reason text,
  notes text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (order_id)
);
CREATE TABLE mock_data.order_items (
  order_item_id text NOT NULL,
  order_id text NOT NULL,
  line_number integer NOT NULL,
  product_id text NOT NULL,
  product_name text NOT NULL,
  quantity integer NOT NULL,
  unit_price numeric(14,2) NOT NULL,
  line_total numeric(14,2) NOT NULL,
  discount_amount numeric(14,2) NOT NULL,
  net_total numeric(14,2) NOT NULL,
  fulfilment text NOT NULL,
  PRIMARY KEY (order_item_id)
);
CREATE TABLE mock_data.inventory_movements (
  movement_id text NOT NULL,
  product_id text NOT NULL,
  movement_type text NOT NULL,
  quantity integer NOT NULL,
  stock_after integer,
  order_id text,
  reason text,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (movement_id)
);
CREATE TABLE mock_data.shipments (
  shipment_id text NOT NULL,
  order_id text NOT NULL,
  carrier text NOT NULL,
  tracking_number text NOT NULL,
  delivery_region text NOT NULL,
  status text NOT NULL,
  shipped_at timestamptz NOT NULL,
  expected_delivery timestamptz NOT NULL,
  delivered_at timestamptz,
  attempts integer NOT NULL,
  failure_reason text,
  attempt_log json NOT NULL,
  PRIMARY KEY (shipment_id)
);
CREATE TABLE mock_data.payments (
  payment_id text NOT NULL,
  order_id text NOT NULL,
  customer_id text NOT NULL,
  company_id text,
  method text NOT NULL,
  amount numeric(14,2) NOT NULL,
  currency text NOT NULL,
  status text NOT NULL,
  due_at timestamptz NOT NULL,
  paid_at timestamptz,
  days_late integer NOT NULL,
  batch_id text,
  PRIMARY KEY (payment_id)
);
CREATE TABLE mock_data.discounts (
  discount_id text NOT NULL,
  order_id text NOT NULL,
  order_item_id text,
  scope text NOT NULL,
  discount_type text NOT NULL,
  code text,
  value double precision NOT NULL,
  amount numeric(14,2) NOT NULL,
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (discount_id)
);
CREATE TABLE mock_data.refunds (
  refund_id text NOT NULL,
  order_id text NOT NULL,
  payment_id text NOT NULL,
  amount numeric(14,2) NOT NULL,
  reason text NOT NULL,
  status text NOT NULL,
  requested_at timestamptz NOT NULL,
  resolved_at timestamptz,
  resolved_by text,
  rejection_reason text,
  PRIMARY KEY (refund_id)
);
CREATE TABLE mock_data.maintenance_visits (
  visit_id text NOT NULL,
  company_id text NOT NULL,
  branch_id text,
  technician_id text NOT NULL,
  visit_type text NOT NULL,
  status text NOT NULL,
  scheduled_at timestamptz NOT NULL,
  completed_at timestamptz,
  services json NOT NULL,
  spare_parts json NOT NULL,
  labor_cost numeric(14,2) NOT NULL,
  parts_cost numeric(14,2) NOT NULL,
  total_cost numeric(14,2) NOT NULL,
  follow_up_required boolean NOT NULL,
  follow_up_of text,
  PRIMARY KEY (visit_id)
);
CREATE TABLE mock_data.audit_logs (
  audit_id text NOT NULL,
  actor_type text NOT NULL,
  user_id text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  ip_address text,
  details json NOT NULL,
  PRIMARY KEY (audit_id)
);
ALTER TABLE mock_data.companies ADD CONSTRAINT companies_account_manager_id_fkey FOREIGN KEY (account_manager_id) REFERENCES mock_data.users (user_id);
ALTER TABLE mock_data.branches ADD CONSTRAINT branches_company_id_fkey FOREIGN KEY (company_id) REFERENCES mock_data.companies (company_id);
ALTER TABLE mock_data.customers ADD CONSTRAINT customers_company_id_fkey FOREIGN KEY (company_id) REFERENCES mock_data.companies (company_id);
ALTER TABLE mock_data.customers ADD CONSTRAINT customers_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES mock_data.branches (branch_id);
ALTER TABLE mock_data.products ADD CONSTRAINT products_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES mock_data.suppliers (supplier_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES mock_data.customers (customer_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_company_id_fkey FOREIGN KEY (company_id) REFERENCES mock_data.companies (company_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES mock_data.branches (branch_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_sales_rep_id_fkey FOREIGN KEY (sales_rep_id) REFERENCES mock_data.users (user_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES mock_data.suppliers (supplier_id);
ALTER TABLE mock_data.orders ADD CONSTRAINT orders_product_id_fkey FOREIGN KEY (product_id) REFERENCES mock_data.products (product_id);
ALTER TABLE mock_data.order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.order_items ADD CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES mock_data.products (product_id);
ALTER TABLE mock_data.inventory_movements ADD CONSTRAINT inventory_movements_product_id_fkey FOREIGN KEY (product_id) REFERENCES mock_data.products (product_id);
ALTER TABLE mock_data.inventory_movements ADD CONSTRAINT inventory_movements_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.shipments ADD CONSTRAINT shipments_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.payments ADD CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.payments ADD CONSTRAINT payments_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES mock_data.customers (customer_id);
ALTER TABLE mock_data.payments ADD CONSTRAINT payments_company_id_fkey FOREIGN KEY (company_id) REFERENCES mock_data.companies (company_id);
ALTER TABLE mock_data.discounts ADD CONSTRAINT discounts_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.discounts ADD CONSTRAINT discounts_order_item_id_fkey FOREIGN KEY (order_item_id) REFERENCES mock_data.order_items (order_item_id);
ALTER TABLE mock_data.refunds ADD CONSTRAINT refunds_order_id_fkey FOREIGN KEY (order_id) REFERENCES mock_data.orders (order_id);
ALTER TABLE mock_data.refunds ADD CONSTRAINT refunds_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES mock_data.payments (payment_id);
ALTER TABLE mock_data.refunds ADD CONSTRAINT refunds_resolved_by_fkey FOREIGN KEY (resolved_by) REFERENCES mock_data.users (user_id);
ALTER TABLE mock_data.maintenance_visits ADD CONSTRAINT maintenance_visits_company_id_fkey FOREIGN KEY (company_id) REFERENCES mock_data.companies (company_id);
ALTER TABLE mock_data.maintenance_visits ADD CONSTRAINT maintenance_visits_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES mock_data.branches (branch_id);
ALTER TABLE mock_data.maintenance_visits ADD CONSTRAINT maintenance_visits_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES mock_data.users (user_id);
ALTER TABLE mock_data.maintenance_visits ADD CONSTRAINT maintenance_visits_follow_up_of_fkey FOREIGN KEY (follow_up_of) REFERENCES mock_data.maintenance_visits (visit_id);
ALTER TABLE mock_data.audit_logs ADD CONSTRAINT audit_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES mock_data.users (user_id);
CREATE INDEX orders_customer_id_idx ON mock_data.orders (customer_id);
CREATE INDEX orders_status_idx ON mock_data.orders (status);
CREATE INDEX orders_order_date_idx ON mock_data.orders (order_date);
CREATE INDEX order_items_order_id_idx ON mock_data.order_items (order_id);
CREATE INDEX inventory_movements_product_id_idx ON mock_data.inventory_movements (product_id);
CREATE INDEX shipments_order_id_idx ON mock_data.shipments (order_id);
CREATE INDEX payments_order_id_idx ON mock_data.payments (order_id);
CREATE INDEX products_category_idx ON mock_data.products (category);
CREATE VIEW mock_data.order_status_history AS
  SELECT o.order_id, h.ordinality::integer AS step, h.value->>'status' AS status, (h.value->>'at')::timestamptz AS changed_at
  FROM mock_data.orders o, json_array_elements(o.status_history) WITH ORDINALITY AS h(value, ordinality);
`;
