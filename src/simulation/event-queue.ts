/**
 * The live simulation's future: a binary min-heap of scheduled actions ordered by time,
 * ties broken by the order they were scheduled so a run is reproducible. Hand-rolled
 * because it is twenty lines and sits on the hot path (no dependency offers a stable tie rule).
 */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private counter = 0;

  get size(): number {
    return this.items.length;
  }

  peekTime(): number {
    return this.items.length ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  push(t: number, item: T): void {
    let i = this.items.length;
    const seq = this.counter++;
    this.times.push(t);
    this.seqs.push(seq);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(t, seq, parent)) break;
      this.place(i, this.times[parent], this.seqs[parent], this.items[parent]);
      i = parent;
    }
    this.place(i, t, seq, item);
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (!n) return undefined;
    const top = this.items[0];
    const t = this.times.pop()!;
    const seq = this.seqs.pop()!;
    const item = this.items.pop()!;
    if (n === 1) return top;
    let i = 0;
    const size = n - 1;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const child = r < size && this.less(r, l) ? r : l;
      if (!this.before(this.times[child], this.seqs[child], i, t, seq)) break;
      this.place(i, this.times[child], this.seqs[child], this.items[child]);
      i = child;
    }
    this.place(i, t, seq, item);
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.times[a] < this.times[b] || (this.times[a] === this.times[b] && this.seqs[a] < this.seqs[b]);
  }

  /** Whether (t, seq) sorts before slot j, or before (tj, sj) when given. */
  private before(t: number, seq: number, j: number, tj = this.times[j], sj = this.seqs[j]): boolean {
    return t < tj || (t === tj && seq < sj);
  }

  private place(i: number, t: number, seq: number, item: T): void {
    this.times[i] = t;
    this.seqs[i] = seq;
    this.items[i] = item;
  }
}
