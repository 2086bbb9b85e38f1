/**
 * The live simulation's outbox: each event is written in the transaction that writes what
 * it describes, and published only after that commits (its seq recorded then). A restart
 * publishes what was committed but not published, and reloads the recent ones so clients
 * resume across restarts.
 */
export default `
CREATE TABLE orderstream.outbox (
  id bigserial PRIMARY KEY,
  envelope text NOT NULL,
  seq bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_unpublished ON orderstream.outbox (id) WHERE seq IS NULL;
CREATE INDEX outbox_published ON orderstream.outbox (seq) WHERE seq IS NOT NULL;
`;
