/** The change feed follows the users table too (staff: who is active, their roles), as it does orders, products and customers (migration 003). */
export default `
CREATE TRIGGER users_change_feed_lock BEFORE INSERT OR UPDATE OR DELETE ON mock_data.users
  FOR EACH STATEMENT WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.lock_change_feed();
CREATE TRIGGER users_change_feed AFTER INSERT OR UPDATE OR DELETE ON mock_data.users
  FOR EACH ROW WHEN (mock_data.change_feed_on()) EXECUTE FUNCTION mock_data.log_change('user_id');
`;
