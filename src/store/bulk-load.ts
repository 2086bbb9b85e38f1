/**
 * The store as a generation run's output: CSV day segments (the same text the CSV files
 * get) are gathered and loaded with COPY in dependency order, all inside the job's one
 * transaction, so a failed or cancelled job leaves nothing behind.
 */
import { entityColumns } from '../domain/columns.js';
import { ENTITY_NAMES, type EntityName } from '../domain/entities.js';
import type { DatasetSink, FileKey, FileSummary } from '../domain/dataset.js';
import { tableOf } from './schema.js';
import type { Transaction } from './store.js';

export const DEFAULT_BATCH_SIZE = 1000;
const NEWLINE = Buffer.from('\n');

export class StoreSink implements DatasetSink {
  readonly target: string;
  private readonly pending = new Map<EntityName, { parts: Uint8Array[]; records: number }>();
  private pendingRecords = 0;
  private readonly loaded = new Map<EntityName, number>();
  /** Called after each COPY batch: the job's progress counter. */
  onLoaded: (entity: EntityName, records: number) => void = () => undefined;

  constructor(
    private readonly tx: Transaction,
    private readonly batchSize: number,
    location: string,
  ) {
    this.target = location;
  }

  async write(key: FileKey, bytes: Uint8Array, records: number): Promise<void> {
    // Anomaly labels and the event log are file outputs; the tables hold the entities.
    if (!records || !(ENTITY_NAMES as readonly string[]).includes(key)) return;
    const entity = key as EntityName;
    let batch = this.pending.get(entity);
    if (!batch) this.pending.set(entity, (batch = { parts: [], records: 0 }));
    // Each segment is whole records joined by newlines, without a trailing one.
    batch.parts.push(bytes, NEWLINE);
    batch.records += records;
    this.loaded.set(entity, (this.loaded.get(entity) ?? 0) + records);
    this.pendingRecords += records;
    if (this.pendingRecords >= this.batchSize) await this.flush();
  }

  async writeLines(): Promise<void> {}

  /**
   * A batch holds whole day segments of every entity, loaded parents first: a row is
   * always loaded with or after every row it references, so each foreign key is checked
   * by the database as the rows arrive.
   */
  private async flush(): Promise<void> {
    for (const entity of ENTITY_NAMES) {
      const batch = this.pending.get(entity);
      if (!batch?.records) continue;
      this.pending.delete(entity);
      await this.tx.copyCsv(tableOf(entity), entityColumns(entity).map((c) => c.name), Buffer.concat(batch.parts));
      this.onLoaded(entity, batch.records);
    }
    this.pendingRecords = 0;
  }

  async commit(): Promise<FileSummary[]> {
    await this.flush();
    return [...this.loaded].map(([entity, records]) => ({ file: tableOf(entity), records, bytes: 0 }));
  }

  async abort(): Promise<void> {
    this.pending.clear();
  }
}
