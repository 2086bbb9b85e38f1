/**
 * The demo dataset of a first start, loaded while the server already serves: its progress
 * for the console, `/health/ready` and the web app. The simulation runs from the first
 * second; its writes (and so its events, published after they commit) wait for the load.
 */
export type DemoLoadingReport =
  | { state: 'loading'; rows: number; estimated_rows: number; progress: number }
  | { state: 'loaded'; rows: number; progress: 1 }
  | { state: 'failed'; rows: number; reason: string };

/** A console line as the load passes each of these shares of the estimate: a slow load is visibly alive without flooding the log. */
const LOG_STEPS = [0.25, 0.5, 0.75];

export class DemoLoading {
  private readonly perTable = new Map<string, number>();
  private rows = 0;
  private logged = 0;
  private outcome: { state: 'loaded' } | { state: 'failed'; reason: string } | null = null;

  constructor(
    /** The loader's estimate, which errs high: progress stays below 100% until the load commits. */
    private readonly estimatedRows: number,
    private readonly log: (message: string) => void,
  ) {}

  /** A table has taken `loaded` rows so far. */
  loaded(table: string, loaded: number): void {
    this.rows += loaded - (this.perTable.get(table) ?? 0);
    this.perTable.set(table, loaded);
    const share = this.share();
    let step = this.logged;
    while (step < LOG_STEPS.length && share >= LOG_STEPS[step]) step++;
    if (step === this.logged) return;
    this.logged = step;
    this.log(`loading the demo dataset: ${Math.round(share * 100)}% (${this.rows.toLocaleString('en-US')} rows)`);
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

  private share(): number {
    return Math.min(0.99, this.estimatedRows > 0 ? this.rows / this.estimatedRows : 0);
  }

  report(): DemoLoadingReport {
    if (this.outcome?.state === 'loaded') return { state: 'loaded', rows: this.rows, progress: 1 };
    if (this.outcome?.state === 'failed') return { state: 'failed', rows: this.rows, reason: this.outcome.reason };
    return { state: 'loading', rows: this.rows, estimated_rows: this.estimatedRows, progress: Math.round(this.share() * 100) / 100 };
  }
}

/** The routes that read or write the data tables (every one of them goes to the database). */
const DATA_ROUTES = /^\/api\/(analytics|customers|forecasts|inventory|orders|products|simulate|mock-data\/(?!scenarios))/;

/** Why a request must wait for the demo dataset (null: it need not), for a 503 that says so. */
export function demoWait(state: { demo: DemoLoading | null }, url: string): string | null {
  if (!state.demo?.loading || !DATA_ROUTES.test(url)) return null;
  const loading = state.demo.report();
  if (loading.state !== 'loading') return null;
  return `the demo dataset is loading (${Math.round(loading.progress * 100)}%, ${loading.rows.toLocaleString('en-US')} rows so far): retry in a moment; the live stream runs meanwhile`;
}
