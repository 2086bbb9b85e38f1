/**
 * Merges per-day event runs into one time-ordered log. Each day's events are already
 * sorted and none is earlier than its day's start, so once day d has arrived everything
 * before d's midnight is final: a k-way merge over the days still holding events, whose
 * memory is bounded by the longest order timeline (weeks), not by the dataset.
 */
interface Run {
  order: number;
  times: number[];
  offsets: number[];
  bytes: Uint8Array;
  pos: number;
}

export class EventMerger {
  private heap: Run[] = [];

  /** `bytes` is copied: the caller's buffer (a whole day of records) must not stay alive for weeks. */
  add(order: number, times: number[], offsets: number[], bytes: Uint8Array): void {
    if (times.length) this.push({ order, times, offsets, bytes: Uint8Array.from(bytes), pos: 0 });
  }

  /** Once most of a run is consumed, keep only its unread tail (payments trail their orders by weeks). */
  private compact(run: Run): void {
    if (run.pos < 1024 || run.pos * 2 < run.times.length) return;
    const base = run.offsets[run.pos];
    run.bytes = Uint8Array.from(run.bytes.subarray(base));
    run.times = run.times.slice(run.pos);
    run.offsets = run.offsets.slice(run.pos).map((o) => o - base);
    run.pos = 0;
  }

  /** Removes and returns, in order, every event strictly before `watermark` (Infinity drains all). */
  drain(watermark: number): { bytes: Uint8Array; count: number } {
    const pieces: Uint8Array[] = [];
    let count = 0;
    while (this.heap.length && this.heap[0].times[this.heap[0].pos] < watermark) {
      const run = this.heap[0];
      // The smallest other head sits at index 1 or 2 (heap property): take this run's events up to it.
      const next = this.heap.length > 2 && this.less(this.heap[2], this.heap[1]) ? this.heap[2] : this.heap[1];
      const nextTime = next ? next.times[next.pos] : Infinity;
      const start = run.pos;
      do run.pos++;
      while (
        run.pos < run.times.length &&
        run.times[run.pos] < watermark &&
        (run.times[run.pos] < nextTime || (run.times[run.pos] === nextTime && run.order < next!.order))
      );
      pieces.push(run.bytes.subarray(run.offsets[start], run.offsets[run.pos]));
      count += run.pos - start;
      if (run.pos === run.times.length) this.pop();
      else {
        this.compact(run);
        this.siftDown(0);
      }
    }
    return { bytes: pieces.length === 1 ? pieces[0] : Buffer.concat(pieces), count };
  }

  /** Ties go to the earlier day, so the merge is deterministic. */
  private less(a: Run, b: Run): boolean {
    const ta = a.times[a.pos];
    const tb = b.times[b.pos];
    return ta < tb || (ta === tb && a.order < b.order);
  }

  private push(run: Run): void {
    this.heap.push(run);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[parent])) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l], this.heap[m])) m = l;
      if (r < n && this.less(this.heap[r], this.heap[m])) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
      i = m;
    }
  }
}
