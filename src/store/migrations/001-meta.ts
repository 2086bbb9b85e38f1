/** orderstream's own bookkeeping: the mock-data toggle and the jobs ledger (read by `status --job` from any process). */
export default `
CREATE TABLE orderstream.settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orderstream.jobs (
  job_id text PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL,
  scenario text,
  request jsonb NOT NULL,
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
