/** The tables of what the warehouse and the demand planner said: forecasts, alerts, daily summaries (schema.ts generated them; test/store/schema.test.ts keeps this in step). */
export default `
CREATE SCHEMA IF NOT EXISTS mock_data;
CREATE TABLE mock_data.forecasts (
  forecast_id text NOT NULL,
  kind text NOT NULL,
  scope text NOT NULL,
  category text NOT NULL,
  product_id text,
  method text NOT NULL,
  made_at timestamptz NOT NULL,
  start_date text NOT NULL,
  horizon_days integer NOT NULL,
  predicted_demand double precision NOT NULL,
  previous_demand double precision,
  daily json NOT NULL,
  PRIMARY KEY (forecast_id)
);
CREATE TABLE mock_data.alerts (
  alert_id text NOT NULL,
  alert_type text NOT NULL,
  alert_level text NOT NULL,
  raised_at timestamptz NOT NULL,
  product_id text,
  product_ids json NOT NULL,
  message text NOT NULL,
  details json NOT NULL,
  PRIMARY KEY (alert_id)
);
CREATE TABLE mock_data.daily_summaries (
  date text NOT NULL,
  orders integer NOT NULL,
  revenue numeric(14,2) NOT NULL,
  currency text NOT NULL,
  average_order_value numeric(14,2) NOT NULL,
  delayed integer NOT NULL,
  pending integer NOT NULL,
  shipped integer NOT NULL,
  delivered integer NOT NULL,
  failed integer NOT NULL,
  cancelled integer NOT NULL,
  by_region json NOT NULL,
  by_pattern json NOT NULL,
  top_products json NOT NULL,
  PRIMARY KEY (date)
);
ALTER TABLE mock_data.forecasts ADD CONSTRAINT forecasts_product_id_fkey FOREIGN KEY (product_id) REFERENCES mock_data.products (product_id);
ALTER TABLE mock_data.alerts ADD CONSTRAINT alerts_product_id_fkey FOREIGN KEY (product_id) REFERENCES mock_data.products (product_id);
CREATE INDEX forecasts_category_made_at_idx ON mock_data.forecasts (category, made_at);
CREATE INDEX alerts_raised_at_idx ON mock_data.alerts (raised_at);
`;
