/** Table formatting shared by the benchmark sections. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

export function formatRows(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
