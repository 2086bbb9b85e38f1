/**
 * How far the demo dataset of a first start has come, in words: one text for the console,
 * `/health/ready`, the 503s of the data routes and the web app's banner.
 */
export const DEMO_PHASES = ['generating', 'copying'] as const;
/** 'generating': made in memory (from before the server listens); 'copying': made, its rows going into the database. */
export type DemoPhase = (typeof DEMO_PHASES)[number];

export function demoProgressText(p: { phase: DemoPhase; rows: number; progress: number }): string {
  const where = p.phase === 'generating' ? 'generating it' : p.rows === 0 ? 'made, copying it in' : `${p.rows.toLocaleString('en-US')} rows copied`;
  return `${Math.round(p.progress * 100)}% (${where})`;
}
