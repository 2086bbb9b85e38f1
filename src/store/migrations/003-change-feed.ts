/**
 * The change feed: every insert, update and delete on orders, products and customers (and users,
 * migration 007), from
 * any writer, is kept in change_log and announced with NOTIFY (one per transaction: equal
 * payloads collapse). Listeners read change_log after their last id, so a listener that was
 * away catches up from the table and nothing is lost.
 *
 * Commit order: writers of tracked rows take one transaction-scoped advisory lock, so a
 * transaction that logs a change cannot take ids until the previous one has committed;
 * ids therefore ascend in commit order, and "id > last seen" never skips a late commit.
 * The lock is taken by a BEFORE … FOR EACH STATEMENT trigger, before the statement locks
 * any row: taken after a row lock, two writers of overlapping rows could deadlock.
 * orderstream's own writers take it first thing in their transactions (lockChangeFeed).
 * Bulk generation jobs set orderstream.change_feed = 'off' for their own transaction:
 * they report through job events instead of a million row events.
 */
export default `
CREATE TABLE mock_data.change_log (
  change_id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  op text NOT NULL,
  row_id text NOT NULL,
  old_row jsonb,
  new_row jsonb,
  changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Checked in the trigger's WHEN clause, so a bulk load does not even enter PL/pgSQL per row.
CREATE FUNCTION mock_data.change_feed_on() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT current_setting('orderstream.change_feed', true) IS DISTINCT FROM 'off' $$;

CREATE FUNCTION mock_data.lock_change_feed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(7243001);
  RETURN NULL;
END;
$fn$;

CREATE FUNCTION mock_data.log_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  key_column text := TG_ARGV[0];
  old_json jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
  new_json jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
BEGIN
  IF TG_OP = 'UPDATE' AND old_json = new_json THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(7243001);
  INSERT INTO mock_data.change_log (table_name, op, row_id, old_row, new_row)
  VALUES (TG_TABLE_NAME, lower(TG_OP), COALESCE(new_json, old_json)->>key_column, old_json, new_json);
  PERFORM pg_notify('orderstream_changes', '');
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER orders_change_feed_lock BEFORE INSERT OR UPDATE OR DELETE ON mock_data.orders
  FOR EACH STATEMENT WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.lock_change_feed();
CREATE TRIGGER orders_change_feed AFTER INSERT OR UPDATE OR DELETE ON mock_data.orders
  FOR EACH ROW WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.log_change('order_id');
CREATE TRIGGER products_change_feed_lock BEFORE INSERT OR UPDATE OR DELETE ON mock_data.products
  FOR EACH STATEMENT WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.lock_change_feed();
CREATE TRIGGER products_change_feed AFTER INSERT OR UPDATE OR DELETE ON mock_data.products
  FOR EACH ROW WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.log_change('product_id');
CREATE TRIGGER customers_change_feed_lock BEFORE INSERT OR UPDATE OR DELETE ON mock_data.customers
  FOR EACH STATEMENT WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.lock_change_feed();
CREATE TRIGGER customers_change_feed AFTER INSERT OR UPDATE OR DELETE ON mock_data.customers
  FOR EACH ROW WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.log_change('customer_id');
`;
