/**
 * The demo dataset of a first start, loaded while the server already serves: its progress
 * for the console, `/health/ready` and the web app. The simulation runs from the first
 * second; its writes (and so its events, published after they commit) wait for the load.
 */
import { demoProgressText, type DemoPhase } from '../domain/demo-progress.js';

export type DemoLoadingReport =
  | { state: 'loading'; phase: DemoPhase; rows: number; estimated_rows: number; progress: number }
  | { state: 'loaded'; rows: number; progress: 1 }
  | { state: 'failed'; rows: number; reason: string };

/**
 * The share of the whole that making the dataset takes (copying it, the rest): about half on
 * the embedded database, measured (a 30-day demo: 1.5 s to generate, 1.3–1.6 s to copy).
 */
const GENERATING_SHARE = 0.5;

/** A console line as the load passes each of these shares of the estimate: a slow load is visibly alive without flooding the log. */
const LOG_STEPS = [0.25, 0.5, 0.75];

export class DemoLoading {
  private readonly perTable = new Map<string, number>();
  private rows = 0;
  private generatedShare = 0;
  private logged = 0;
  private outcome: { state: 'loaded' } | { state: 'failed'; reason: string } | null = null;

  constructor(
    /** The loader's estimate, which errs high: progress stays below 100% until the load commits. */
    private readonly estimatedRows: number,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * The dataset is made up to `share` of its orders: below 1 while it is made (the last day's
   * orders after the dataset's now are planned, never made), 1 once it is made, whole.
   */
  generated(share: number): void {
    if (this.outcome) return; // a late report of a load that ended
    this.generatedShare = Math.max(this.generatedShare, Math.min(1, share));
    this.logProgress();
  }

  /** A table has taken `loaded` rows so far. */
  loaded(table: string, loaded: number): void {
    if (this.outcome) return;
    this.generatedShare = 1; // copying starts once the whole dataset is made
    this.rows += loaded - (this.perTable.get(table) ?? 0);
    this.perTable.set(table, loaded);
    this.logProgress();
  }

  private logProgress(): void {
    const share = this.share();
    let step = this.logged;
    while (step < LOG_STEPS.length && share >= LOG_STEPS[step]) step++;
    if (step === this.logged) return;
    this.logged = step;
    this.log(`loading the demo dataset: ${demoProgressText({ phase: this.phase(), rows: this.rows, progress: share })}`);
  }

  done(): void {
    this.outcome = { state: 'loaded' };
  }

  failed(reason: string): void {
    this.outcome = { state: 'failed', reason };
  }

  get loading(): boolean {
    return this.outcome === null;
  }

  private phase(): DemoPhase {
    return this.generatedShare < 1 ? 'generating' : 'copying';
  }

  /** Of the whole (making, then copying): below 100% until the load commits. */
  private share(): number {
    const copied = this.estimatedRows > 0 ? this.rows / this.estimatedRows : 0;
    return Math.min(0.99, GENERATING_SHARE * this.generatedShare + (1 - GENERATING_SHARE) * copied);
  }

  report(): DemoLoadingReport {
    if (this.outcome?.state === 'loaded') return { state: 'loaded', rows: this.rows, progress: 1 };
    if (this.outcome?.state === 'failed') return { state: 'failed', rows: this.rows, reason: this.outcome.reason };
    return { state: 'loading', phase: this.phase(), rows: this.rows, estimated_rows: this.estimatedRows, progress: Math.round(this.share() * 100) / 100 };
  }
}

/** The routes that read or write the data tables (every one of them goes to the database). */
export const DATA_ROUTES = /^\/api\/(analytics|customers|forecasts|inventory|orders|products|simulate|mock-data\/(?!scenarios))/;

/** Why a request must wait for the demo dataset (null: it need not), for a 503 that says so. */
export function demoWait(state: { demo: DemoLoading | null }, url: string): string | null {
  if (!state.demo?.loading || !DATA_ROUTES.test(url)) return null;
  const loading = state.demo.report();
  if (loading.state !== 'loading') return null;
  return `the demo dataset is loading (${demoProgressText(loading)}): retry in a moment; the live stream runs meanwhile`;
}
