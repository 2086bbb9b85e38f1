/**
 * The documentation is tested: every block marked runnable in README.md and docs/*.md runs as a reader
 * would run it (see test/helpers/docs.ts for the rules), its output is compared with the one shown,
 * every relative link resolves, the README stays a front page, and requirement documents are spoken of
 * in docs/compatibility.md only. `npm run docs:update` rewrites output blocks that no longer match.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO,
  anchors,
  brokenLinks,
  cliBin,
  docFiles,
  matches,
  pageDir,
  parseBlocks,
  rewriteFile,
  runBlock,
  startDocsServer,
  updatedOutput,
  usesServer,
  type Block,
  type DocsServer,
} from '../helpers/docs.js';

const UPDATE = process.env.DOCS_UPDATE === '1';
const files = docFiles();
const runnable: Block[] = files.flatMap((f) => parseBlocks(f, readFileSync(join(REPO, f), 'utf8')).filter((b) => b.runnable));

let server: Promise<DocsServer> | null = null;
let bin = '';
const dirs = new Map<string, string>();
const edits = new Map<string, { startIndex: number; endIndex: number; text: string; old: string }[]>();

beforeAll(() => {
  bin = cliBin();
  // Start the server at once, so that it boots while the first blocks (CLI only) run.
  if (runnable.some((b) => usesServer(b.code))) {
    server = startDocsServer();
    server.catch(() => undefined);
  }
});

afterAll(async () => {
  if (server) await (await server.catch(() => null))?.stop();
  if (UPDATE) for (const [file, list] of edits) rewriteFile(join(REPO, file), list);
});

describe('runnable examples', () => {
  it('there are runnable examples, each with a shown output', () => {
    expect(runnable.length).toBeGreaterThan(5);
    expect(runnable.filter((b) => !b.output).map((b) => `${b.file}:${b.line}`)).toEqual([]);
  });

  for (const block of runnable) {
    it(`${block.file}:${block.line}`, async () => {
      let cwd = dirs.get(block.file);
      if (!cwd) dirs.set(block.file, (cwd = pageDir(block.file)));
      const port = usesServer(block.code) ? (await server!).port : null;
      const { code, output } = await runBlock(block.code, cwd, bin, port, block.exitCode !== 0);
      const shown = block.output!.text;
      if (UPDATE && (!matches(shown, output) || code !== block.exitCode)) {
        if (code !== block.exitCode) throw new Error(`${block.file}:${block.line} exited ${code}, not ${block.exitCode}:\n${output}`);
        const list = edits.get(block.file) ?? [];
        list.push({ startIndex: block.output!.startIndex, endIndex: block.output!.endIndex, text: updatedOutput(shown, output), old: shown });
        edits.set(block.file, list);
        return;
      }
      expect({ code, output }, `${block.file}:${block.line} (run npm run docs:update if the change is intended)`).toEqual({ code: block.exitCode, output: expect.anything() });
      expect(matches(shown, output), `${block.file}:${block.line}: the output differs from the one shown (run npm run docs:update if intended)\n--- shown\n${shown}\n--- real\n${output}`).toBe(true);
    });
  }
});

describe('the harness', () => {
  it('compares output with its documented normalisation: … within a line, a line of … for any lines', () => {
    expect(matches('a\nb', 'a\nb  \n\n')).toBe(true);
    expect(matches('a\nb', 'a\nc')).toBe(false);
    expect(matches('id: …, ok', 'id: 42, ok')).toBe(true);
    expect(matches('id: …, ok', 'id: 42, no')).toBe(false);
    expect(matches('first\n…\nlast', 'first\nx\ny\nlast')).toBe(true);
    expect(matches('first\n…\nlast', 'first\nlast')).toBe(true);
    expect(matches('first\n…\nlast', 'first\nx')).toBe(false);
    expect(matches('a.b', 'axb')).toBe(false);
  });

  it('docs:update keeps an elided line where it still matches, and writes the rest as run', () => {
    expect(updatedOutput('time: …\nrows: 3', 'time: 0.5 s\nrows: 4')).toBe('time: …\nrows: 4');
    expect(updatedOutput('time: …', 'rows: 4\nmore')).toBe('rows: 4\nmore');
  });

  it('finds runnable blocks, their exit status and their output', () => {
    const md = ['```sh runnable exit=2', 'orderstream nope', '```', '', '```text output', 'error', '```', '```js', 'x', '```'].join('\n');
    const [run, plain] = parseBlocks('x.md', md);
    expect(run).toMatchObject({ runnable: true, exitCode: 2, code: 'orderstream nope', output: { text: 'error', startIndex: 5, endIndex: 6 } });
    expect(plain).toMatchObject({ runnable: false, info: 'js' });
  });

  it('knows the heading anchors links point to', () => {
    expect([...anchors("# The store: PostgreSQL\n## `stream`: sale objects\n## Reconciliation: batch tables as the event log's state\n## A\n## A")]).toEqual([
      'the-store-postgresql',
      'stream-sale-objects',
      'reconciliation-batch-tables-as-the-event-logs-state',
      'a',
      'a-1',
    ]);
  });
});

describe('the pages', () => {
  it('every relative link names an existing file and heading', () => {
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });

  it('the README is a front page: under 250 lines', () => {
    const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(250);
  });

  it('only docs/compatibility.md speaks of the requirement documents', () => {
    const offenders = files.filter((f) => f !== 'docs/compatibility.md' && /spec\s*00/i.test(readFileSync(join(REPO, f), 'utf8')));
    expect(offenders).toEqual([]);
    expect(readFileSync(join(REPO, 'docs/compatibility.md'), 'utf8')).toMatch(/spec 004/i);
  });
});
