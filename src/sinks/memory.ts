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
    // Kept as given: generate fills a buffer again only for its file writer, never for another sink.
    this.segments.push({ key, bytes, records });
  }

  /** Line outputs (the event log) are files only: a store or stream sink takes the entities. */
  async writeLines(): Promise<void> {}

  async commit(): Promise<FileSummary[]> {
    return [];
  }

  async abort(): Promise<void> {
    this.segments.length = 0;
  }

  /**
   * Hands everything captured to `sink`, in the order it came, and commits it. Each segment is
   * let go once written (the capture is spent): a server that loaded its demo dataset keeps none of it.
   */
  async replay(sink: DatasetSink, signal?: AbortSignal, manifest: Record<string, unknown> = {}): Promise<FileSummary[]> {
    const segments = this.segments.splice(0);
    for (let s = segments.shift(); s; s = segments.shift()) {
      signal?.throwIfAborted();
      await sink.write(s.key, s.bytes, s.records);
    }
    return sink.commit(manifest);
  }
}
