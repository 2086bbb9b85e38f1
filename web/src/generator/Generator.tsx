/**
 * spec 002's generator: scenario (with its description), market, dates, seed, multiplier;
 * a dry run first for the estimate; a job with live progress (entity, records, throughput,
 * ETA) from job.* events; exports; cleanup behind a typed confirmation; the enable toggle.
 */
import { useState } from 'react';
import { ENTITY_NAMES } from '../../../src/domain/entities.js';
import { EXPORT_FORMATS, type JobView } from '../../../src/domain/jobs.js';
import type { z } from 'zod';
import type { CleanupConfirmation } from '../../../src/domain/jobs.js';

/** What the user types to confirm; the server's own single-use confirmation is fetched then. */
const TYPED = 'delete all mock data';
import { ErrorState, Skeleton } from '../components/States.js';
import { api, download } from '../lib/api.js';
import { count, label } from '../lib/format.js';
import { useApi, useEvents } from '../lib/hooks.js';

interface ScenarioInfo {
  name: string;
  description: string;
  market: string;
}

const today = new Date().toISOString().slice(0, 10);
const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);

export default function Generator() {
  const scenarios = useApi<{ scenarios: ScenarioInfo[] }>('/api/mock-data/scenarios');
  const toggle = useApi<{ enabled: boolean; reason?: string }>('/api/mock-data/toggle');
  const [form, setForm] = useState({ scenario: 'normal-ops', market: '', startDate: weekAgo, endDate: today, seed: '12345', volumeMultiplier: '1', replace: true });
  const [job, setJob] = useState<JobView | null>(null);
  const [estimate, setEstimate] = useState<JobView | null>(null);
  const [error, setError] = useState<Error | null>(null);

  useEvents((events) => {
    for (const e of events) {
      if (!e.event_type.startsWith('job.')) continue;
      const d = e.data as { job_id: string };
      const watching = [job, estimate].find((j) => j && j.jobId === d.job_id);
      if (watching) void api<JobView>(`/api/mock-data/status?jobId=${encodeURIComponent(d.job_id)}`).then((v) => (v.dryRun ? setEstimate(v) : setJob(v)));
    }
  });

  const start = async (dryRun: boolean) => {
    setError(null);
    try {
      const body = {
        scenario: form.scenario,
        config: {
          startDate: form.startDate,
          endDate: form.endDate,
          seed: Number(form.seed),
          volumeMultiplier: Number(form.volumeMultiplier),
          dryRun,
          replace: !dryRun && form.replace,
          ...(form.market ? { market: form.market } : {}),
        },
      };
      const started = await api<{ jobId: string }>('/api/mock-data/generate', { method: 'POST', body });
      const view = await api<JobView>(`/api/mock-data/status?jobId=${encodeURIComponent(started.jobId)}`);
      if (dryRun) setEstimate(view);
      else setJob(view);
    } catch (e) {
      setError(e as Error);
    }
  };

  const selected = scenarios.data?.scenarios.find((s) => s.name === form.scenario);
  return (
    <>
      <h1>Generator</h1>
      <div className="grid">
        <section className="panel" aria-labelledby="h-gen">
          <h2 id="h-gen">New dataset</h2>
          {scenarios.error ? <ErrorState error={scenarios.error} retry={scenarios.reload} what="scenarios" /> : null}
          <div className="row">
            <label className="stack">
              Scenario
              <select value={form.scenario} onChange={(e) => setForm({ ...form, scenario: e.target.value })} data-testid="gen-scenario">
                {(scenarios.data?.scenarios ?? [{ name: 'normal-ops', description: '', market: '' }]).map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="stack">
              Market (blank: the scenario's)
              <input value={form.market} onChange={(e) => setForm({ ...form, market: e.target.value })} placeholder={selected?.market} size={14} />
            </label>
          </div>
          {selected ? <p className="muted" data-testid="gen-description">{selected.description}</p> : null}
          <div className="row">
            <label className="stack">
              From <input type="date" value={form.startDate} onChange={(e) => setForm({ ...form, startDate: e.target.value })} data-testid="gen-from" />
            </label>
            <label className="stack">
              To <input type="date" value={form.endDate} onChange={(e) => setForm({ ...form, endDate: e.target.value })} data-testid="gen-to" />
            </label>
            <label className="stack">
              Seed <input inputMode="numeric" value={form.seed} onChange={(e) => setForm({ ...form, seed: e.target.value })} size={10} />
            </label>
            <label className="stack">
              Volume multiplier <input inputMode="decimal" value={form.volumeMultiplier} onChange={(e) => setForm({ ...form, volumeMultiplier: e.target.value })} size={6} />
            </label>
          </div>
          <label>
            <input type="checkbox" checked={form.replace} onChange={(e) => setForm({ ...form, replace: e.target.checked })} aria-describedby="gen-replace-note" /> replace the data already in the store
          </label>
          <p id="gen-replace-note" className="muted" style={{ margin: '4px 0 0' }} data-testid="gen-replace-note">
            {form.replace
              ? "The new dataset takes the place of the current one in one transaction. The live simulation streams on but stops writing to the store (its orders would refer to rows that are gone); after a restart the server simulates on top of the new data if it was made with the server's scenario, market and seed."
              : 'Without replacing, a job runs only on an empty store; like any job that writes, it stops the live simulation writing to the store until the server restarts.'}
          </p>
          <div className="row" style={{ marginTop: 8 }}>
            <button type="button" onClick={() => void start(true)} data-testid="gen-estimate">
              Estimate (dry run)
            </button>
            <button type="button" className="primary" onClick={() => void start(false)} data-testid="gen-start" disabled={toggle.data?.enabled === false}>
              Start job
            </button>
          </div>
          {error ? <ErrorState error={error} what="the job" /> : null}
          {estimate ? <JobPanel job={estimate} title="Estimate (dry run)" /> : null}
          {job ? <JobPanel job={job} title="Job" /> : null}
        </section>
        <div>
          <Writes toggle={toggle} />
          <Exports />
          <Cleanup />
        </div>
      </div>
    </>
  );
}

function JobPanel({ job, title }: { job: JobView; title: string }) {
  const p = job.progress;
  const pct = job.status === 'completed' ? 100 : p.progressPercent;
  return (
    <div className="panel" style={{ marginTop: 8 }} data-testid={job.dryRun ? 'estimate' : 'job'} data-status={job.status}>
      <h3 className="card-title">
        {title} {job.jobId} — <strong>{job.status}</strong>
      </h3>
      <div className="progress" role="progressbar" aria-label={`${title} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <p className="muted">
        {Math.round(pct)}% · {p.currentEntity ? `${label(p.currentEntity)} · ` : ''}
        {count(Object.values(p.recordsGenerated).reduce((a: number, b) => a + (b ?? 0), 0))} of {count(p.recordsTotal)} records · {count(Math.round(p.throughput))} records/s
        {p.etaSeconds != null && job.status !== 'completed' ? ` · ETA ${Math.ceil(p.etaSeconds)} s` : ''}
      </p>
      {job.result ? (
        <p data-testid="job-result">
          {count(job.result.records)} records in {(job.result.elapsedMs / 1000).toFixed(1)} s:{' '}
          {Object.entries(job.result.counts)
            .map(([k, v]) => `${label(k)} ${count(v ?? 0)}`)
            .join(' · ')}
        </p>
      ) : null}
      {job.status === 'started' || job.status === 'generating' ? (
        <button type="button" data-testid="job-cancel" onClick={() => void api('/api/mock-data/cancel', { method: 'POST', body: { jobId: job.jobId } }).catch(() => undefined)}>
          Cancel
        </button>
      ) : null}
      {job.error ? <p className="banner error">{job.error}</p> : null}
    </div>
  );
}

function Writes({ toggle }: { toggle: ReturnType<typeof useApi<{ enabled: boolean; reason?: string }>> }) {
  const set = async (enabled: boolean) => {
    await api('/api/mock-data/toggle', { method: 'POST', body: { enabled } }).catch(() => undefined);
    toggle.reload();
  };
  return (
    <section className="panel" aria-labelledby="h-writes" style={{ marginBottom: 12 }}>
      <h2 id="h-writes">Mock data writes</h2>
      {toggle.error ? (
        <ErrorState error={toggle.error} retry={toggle.reload} what="the write setting" />
      ) : !toggle.data ? (
        <Skeleton lines={1} />
      ) : (
        <div className="row">
          <span data-testid="writes-state">{toggle.data.enabled ? 'enabled' : 'disabled'}</span>
          {toggle.data.reason ? <span className="muted">{toggle.data.reason}</span> : null}
          <button type="button" onClick={() => void set(!toggle.data!.enabled)}>
            {toggle.data.enabled ? 'Disable' : 'Enable'}
          </button>
        </div>
      )}
    </section>
  );
}

function Exports() {
  const [entity, setEntity] = useState('orders');
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('ndjson');
  const [state, setState] = useState<string | null>(null);
  const run = async () => {
    setState('preparing…');
    try {
      const { blob, name } = await download('/api/mock-data/export', { entity, format });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      setState(`downloaded ${name} (${count(blob.size)} bytes)`);
    } catch (e) {
      setState((e as Error).message);
    }
  };
  return (
    <section className="panel" aria-labelledby="h-export" style={{ marginBottom: 12 }}>
      <h2 id="h-export">Export</h2>
      <div className="row">
        <label>
          Table
          <select value={entity} onChange={(e) => setEntity(e.target.value)}>
            {ENTITY_NAMES.map((n) => (
              <option key={n} value={n}>
                {label(n)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void run()} data-testid="export">
          Download
        </button>
      </div>
      {state ? <p role="status" data-testid="export-state">{state}</p> : null}
    </section>
  );
}

function Cleanup() {
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const run = async () => {
    try {
      // The server hands out a single-use confirmation (GET), then deletes with it.
      const { confirm } = await api<z.infer<typeof CleanupConfirmation>>('/api/mock-data/cleanup');
      const r = await api<{ total: number }>(`/api/mock-data/cleanup?confirm=${encodeURIComponent(confirm)}`, { method: 'DELETE' });
      setResult(`deleted ${count(r.total)} rows`);
      setTyped('');
    } catch (e) {
      setResult((e as Error).message);
    }
  };
  return (
    <section className="panel" aria-labelledby="h-cleanup">
      <h2 id="h-cleanup">Clean up</h2>
      <p className="muted">Deletes every row of mock data. Type “{TYPED}” to confirm.</p>
      <div className="row">
        <label>
          Confirmation <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </label>
        <button type="button" disabled={typed.trim().toLowerCase() !== TYPED} onClick={() => void run()}>
          Delete all mock data
        </button>
      </div>
      {result ? <p role="status">{result}</p> : null}
    </section>
  );
}
