/**
 * The event log records every event it publishes in the outbox (server/event-log.ts). A row
 * change from the change feed (db.*) is already kept whole in mock_data.change_log; storing its
 * envelope again (the old and new row, about 2 kB of JSON) was the largest write on the
 * embedded database's one thread. Such a record now keeps the envelope without its data and the
 * change it tells of; a restart joins it back to change_log.
 */
export default `
ALTER TABLE orderstream.outbox ADD COLUMN change_id bigint;
`;
