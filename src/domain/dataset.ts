/** Where a generation run's output goes — a dataset directory or the database — declared once for both. */
import type { OutputFormat } from './config.js';
import type { EntityName } from './entities.js';

/** One output of a run: an entity's file or table, the anomaly labels, or the event log. */
export type FileKey = EntityName | 'anomalies' | 'events';

export interface FileSummary {
  file: string;
  records: number;
  bytes: number;
}

export interface DatasetSink {
  write(key: FileKey, bytes: Uint8Array, records: number): Promise<void>;
  writeLines(key: FileKey, bytes: Uint8Array, records: number): Promise<void>;
  commit(manifest: Record<string, unknown>): Promise<FileSummary[]>;
  abort(): Promise<void>;
  readonly target: string;
  /** The encoding it takes; CSV (what COPY loads) unless it says otherwise. */
  readonly format?: OutputFormat;
}
