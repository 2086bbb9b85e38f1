/** Previous / range / Next under a paged table: one pager for every table that pages through the API. */
import { count } from '../lib/format.js';

export function Pager({ offset, size, total, onOffset, empty, testId }: { offset: number; size: number; total: number | null; onOffset: (offset: number) => void; empty?: string; testId?: string }) {
  const range =
    total === null ? '' : total === 0 && empty !== undefined ? empty : `${count(Math.min(offset + 1, total))}–${count(Math.min(offset + size, total))} of ${count(total)}`;
  return (
    <div className="row" style={{ marginTop: 8 }}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - size))}>
        Previous
      </button>
      <span data-testid={testId}>{range}</span>
      <button type="button" disabled={total === null || offset + size >= total} onClick={() => onOffset(offset + size)}>
        Next
      </button>
    </div>
  );
}
