/**
 * When each order reached shipped, delivered, failed or cancelled, as rows of their own, for
 * the analytics (store/queries/analytics.ts). Counting those statuses per day from the orders'
 * JSON histories parsed every history on every request: 70–85% of a whole-year range's time
 * (BENCHMARKS.md, issue 11). Here each history is parsed once, when it is written.
 *
 * Triggers on orders keep the table in step with every writer (the bulk loader's COPY, the
 * live writer, status moves through the API, psql): statement-level with transition tables,
 * so a COPY batch or a multi-row insert costs one set-based INSERT, and no row of a bulk
 * load enters PL/pgSQL. They run whatever orderstream.change_feed says: bulk loads turn the
 * change feed off, but their orders need their rows here too. No foreign key to orders: the
 * bulk loader drops and rebuilds the orders' primary key; the triggers do the cascading.
 *
 * One row per history entry (step: its position), so an order that somehow reached a status
 * twice counts twice, exactly as the count over the history did.
 */
export default `
CREATE TABLE mock_data.order_status_reached (
  order_id text NOT NULL,
  step integer NOT NULL,
  status text NOT NULL,
  reached_at timestamptz NOT NULL,
  PRIMARY KEY (order_id, step)
);
CREATE INDEX order_status_reached_reached_at_idx ON mock_data.order_status_reached (reached_at);

CREATE FUNCTION mock_data.status_reached_add() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- As an array, not a join: a transition table has no statistics, and the planner's guess
    -- scanned the whole table for each status change (the live writer's p99 on PGlite 75 → 480 ms).
    DELETE FROM mock_data.order_status_reached r WHERE r.order_id = ANY (ARRAY(SELECT o.order_id FROM old_orders o));
  END IF;
  INSERT INTO mock_data.order_status_reached (order_id, step, status, reached_at)
  SELECT o.order_id, h.step, h.value->>'status', (h.value->>'at')::timestamptz
    FROM new_orders o, json_array_elements(o.status_history) WITH ORDINALITY AS h(value, step)
   WHERE h.value->>'status' IN ('shipped', 'delivered', 'failed', 'cancelled');
  RETURN NULL;
END;
$fn$;

CREATE FUNCTION mock_data.status_reached_remove() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE mock_data.order_status_reached;
  ELSE
    DELETE FROM mock_data.order_status_reached r WHERE r.order_id = ANY (ARRAY(SELECT o.order_id FROM old_orders o));
  END IF;
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER orders_status_reached_insert AFTER INSERT ON mock_data.orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mock_data.status_reached_add();
CREATE TRIGGER orders_status_reached_update AFTER UPDATE ON mock_data.orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mock_data.status_reached_add();
CREATE TRIGGER orders_status_reached_delete AFTER DELETE ON mock_data.orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION mock_data.status_reached_remove();
CREATE TRIGGER orders_status_reached_truncate AFTER TRUNCATE ON mock_data.orders
  FOR EACH STATEMENT EXECUTE FUNCTION mock_data.status_reached_remove();

INSERT INTO mock_data.order_status_reached (order_id, step, status, reached_at)
SELECT o.order_id, h.step, h.value->>'status', (h.value->>'at')::timestamptz
  FROM mock_data.orders o, json_array_elements(o.status_history) WITH ORDINALITY AS h(value, step)
 WHERE h.value->>'status' IN ('shipped', 'delivered', 'failed', 'cancelled');
ANALYZE mock_data.order_status_reached;
`;
