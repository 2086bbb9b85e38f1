/**
 * Writes a dataset directory all-or-nothing: files are streamed into a hidden staging
 * directory beside the target and renamed into place only when the run succeeds, so a
 * failed, invalid or interrupted run never leaves a partial output directory behind.
 */
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputFormat } from '../domain/config.js';
import type { EntityName } from '../domain/entities.js';
import { UsageError } from '../domain/errors.js';
import type { FileKey, FileSummary } from '../domain/dataset.js';
import { fileFraming } from './encode.js';

export const MANIFEST = 'manifest.json';

export type { FileKey, FileSummary } from '../domain/dataset.js';

interface OpenFile {
  handle: FileHandle;
  path: string;
  records: number;
  bytes: number;
  head: string;
  separator: string;
  tail: string;
  /** An empty file still needs valid framing: "[]" for JSON, the header for CSV. */
  empty: string;
}


export class DatasetWriter {
  private readonly files = new Map<FileKey, OpenFile>();
  private closed = false;

  private constructor(
    readonly target: string,
    readonly staging: string,
  ) {}

  /** Refuses a target that exists and was not written by orderstream (nothing is overwritten by surprise). */
  static async open(dir: string, format: OutputFormat, entities: readonly EntityName[], extras: Array<'anomalies' | 'events'>): Promise<DatasetWriter> {
    const target = resolve(dir);
    const existing = await stat(target).catch(() => null);
    if (existing) {
      if (!existing.isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
      const entries = await readdir(target);
      const ours = entries.includes(MANIFEST) && (await readFile(join(target, MANIFEST), 'utf8').catch(() => '')).includes('"generator": "orderstream"');
      if (entries.length && !ours) throw new UsageError(`--out ${dir} exists, is not empty and was not written by orderstream; choose another directory or empty it`);
    }
    const staging = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${Date.now()}`);
    try {
      await mkdir(dirname(target), { recursive: true });
      await mkdir(staging);
    } catch (err) {
      throw new UsageError(`cannot write --out ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} while creating ${dirname(target)}`);
    }
    const writer = new DatasetWriter(target, staging);
    try {
      for (const entity of entities) {
        const framing = fileFraming(format, entity);
        const empty = format === 'json' ? '[]\n' : framing.head;
        await writer.add(entity, `${entity}.${format}`, { ...framing, empty });
      }
      for (const extra of extras) await writer.add(extra, `${extra}.ndjson`, { head: '', separator: '\n', tail: '\n', empty: '' });
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return writer;
  }

  private async add(key: FileKey, file: string, framing: { head: string; separator: string; tail: string; empty: string }): Promise<void> {
    const path = join(this.staging, file);
    this.files.set(key, { handle: await open(path, 'w'), path, records: 0, bytes: 0, ...framing });
  }

  /** Appends already-encoded records (joined by the format's separator). */
  async write(key: FileKey, bytes: Uint8Array, records: number): Promise<void> {
    const f = this.files.get(key);
    if (!f || records === 0) return;
    const lead = f.records === 0 ? f.head : f.separator;
    if (lead) await this.raw(f, Buffer.from(lead));
    await this.raw(f, bytes);
    f.records += records;
  }

  /** Appends complete lines (events: each already ends in a newline). */
  async writeLines(key: FileKey, bytes: Uint8Array, records: number): Promise<void> {
    const f = this.files.get(key);
    if (!f || records === 0) return;
    await this.raw(f, bytes);
    f.records += records;
    f.tail = '';
  }

  private async raw(f: OpenFile, bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await f.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    f.bytes += bytes.length;
  }

  /** Finishes every file, writes the manifest and moves the directory into place. */
  async commit(manifest: Record<string, unknown>): Promise<FileSummary[]> {
    const summary: FileSummary[] = [];
    for (const f of this.files.values()) {
      const end = f.records ? f.tail : f.empty;
      if (end) await this.raw(f, Buffer.from(end));
      await f.handle.close();
      summary.push({ file: basename(f.path), records: f.records, bytes: f.bytes });
    }
    this.closed = true;
    await writeFile(join(this.staging, MANIFEST), `${JSON.stringify({ generator: 'orderstream', ...manifest, files: summary }, null, 2)}\n`);
    const old = `${this.staging}.old`;
    const existing = await stat(this.target).catch(() => null);
    if (existing) await rename(this.target, old);
    await rename(this.staging, this.target);
    if (existing) await rm(old, { recursive: true, force: true });
    return summary;
  }

  async abort(): Promise<void> {
    if (!this.closed) for (const f of this.files.values()) await f.handle.close().catch(() => undefined);
    this.closed = true;
    await rm(this.staging, { recursive: true, force: true });
  }
}
