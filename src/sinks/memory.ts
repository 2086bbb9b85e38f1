/**
 * A generation run's output kept in memory, to be handed to another sink later: a small
 * dataset generated while other work goes on (serve's demo dataset, made while the server
 * starts) and loaded once its destination is free. Only for runs that fit in memory.
 */
import type { OutputFormat } from '../domain/config.js';
import type { DatasetSink, FileKey, FileSummary } from '../domain/dataset.js';

export interface CapturedSegment {
  key: FileKey;
  bytes: Uint8Array;
  records: number;
}

export class CapturingSink implements DatasetSink {
  readonly target = 'memory';
  readonly segments: CapturedSegment[] = [];

  constructor(readonly format: OutputFormat = 'csv') {}

  async write(key: FileKey, bytes: Uint8Array, records: number): Promise<void> {
    // A copy: the generator may fill the same buffer again once this returns.
    this.segments.push({ key, bytes: bytes.slice(), records });
  }

  /** Line outputs (the event log) are files only: a store or stream sink takes the entities. */
  async writeLines(): Promise<void> {}

  async commit(): Promise<FileSummary[]> {
    return [];
  }

  async abort(): Promise<void> {
    this.segments.length = 0;
  }

  /** Hands everything captured to `sink`, in the order it came, and commits it. */
  async replay(sink: DatasetSink, manifest: Record<string, unknown> = {}): Promise<FileSummary[]> {
    for (const s of this.segments) await sink.write(s.key, s.bytes, s.records);
    return sink.commit(manifest);
  }
}
