/**
 * Runs the documentation's examples. A fenced block whose info string holds the word `runnable`
 * (```` ```sh runnable ````, optionally `exit=N` for the exit status it must end with, default 0) is a
 * shell script a reader would paste. It runs in bash (with pipefail). What is compared is its stdout, and
 * for a block expected to fail (`exit=N`, N > 0) stdout and stderr together, since error messages go to
 * stderr (progress bars and log lines go there too, and are left out of the other blocks). It runs:
 *
 * - in a temporary directory, one per page (a page's blocks share it, in order, like a reader's shell);
 * - with `orderstream` on the PATH as the built CLI (`node dist/src/cli/main.js`);
 * - with `localhost:3001` and `127.0.0.1:3001` rewritten to a fresh `orderstream serve` on a free port,
 *   started once with a fixed seed and start instant (see DOCS_SERVER_ARGS), so its output is stable;
 * - with this package in the directory's node_modules, so `import … from 'orderstream'` works as installed.
 *
 * When the next fenced block after it is marked `output` (```` ```text output ````), the real output must
 * match it. Normalisation, documented for writers: trailing spaces and trailing blank lines are ignored,
 * the server's port is written back as 3001, `…` inside a line matches any text on that line, and a line
 * that is only `…` matches any number of lines. `npm run docs:update` (DOCS_UPDATE=1) rewrites output
 * blocks that no longer match, keeping each `…` line whose pattern still matches the new line at its place.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve('.');
export const CLI = join(REPO, 'dist/src/cli/main.js');

/** The docs server: the live simulation from a fixed instant and seed, an in-memory store seeded with its last 30 days. */
export const DOCS_SERVER_ARGS = ['--seed', '12345', '--start', '2025-01-06T08:00:00Z', '--speed', '1'];

export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  code: string;
  runnable: boolean;
  exitCode: number;
  output?: { line: number; startIndex: number; endIndex: number; text: string };
}

/** README.md and every docs/*.md, repository-relative. */
export function docFiles(): string[] {
  return ['README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** Every fenced block of a Markdown text; `output` is attached to the runnable block it follows. */
export function parseBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) {
      i += 1;
      continue;
    }
    const fence = open[2];
    const info = open[3].trim();
    const start = i;
    const body: string[] = [];
    i += 1;
    while (i < lines.length && !lines[i].trimStart().startsWith(fence)) body.push(lines[i++]);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: unclosed code fence`);
    const words = info.split(/\s+/);
    const exit = words.find((w) => /^exit=\d+$/.test(w));
    const block: Block = {
      file,
      line: start + 1,
      info,
      code: body.join('\n'),
      runnable: words.includes('runnable'),
      exitCode: exit ? Number(exit.slice(5)) : 0,
    };
    if (words.includes('output')) {
      const prev = blocks[blocks.length - 1];
      if (!prev?.runnable || prev.output) throw new Error(`${file}:${start + 1}: an output block must follow a runnable block`);
      prev.output = { line: start + 1, startIndex: start + 1, endIndex: i, text: body.join('\n') };
    } else {
      blocks.push(block);
    }
    i += 1;
  }
  return blocks;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regular expression an output line stands for: `…` matches any text. */
const linePattern = (line: string) => new RegExp(`^${line.split('…').map(escape).join('.*')}$`);

/** Trailing spaces and trailing blank lines do not count. */
export function normalise(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Does the actual output match the shown one (with its `…` elisions)? */
export function matches(expected: string, actual: string): boolean {
  const exp = normalise(expected);
  const act = normalise(actual);
  const go = (e: number, a: number): boolean => {
    if (e === exp.length) return a === act.length;
    if (exp[e] === '…') {
      for (let k = a; k <= act.length; k++) if (go(e + 1, k)) return true;
      return false;
    }
    return a < act.length && linePattern(exp[e]).test(act[a]) && go(e + 1, a + 1);
  };
  return go(0, 0);
}

/** The new output block for `docs:update`: the real output, keeping the old `…` lines that still match in place. */
export function updatedOutput(expected: string, actual: string): string {
  const exp = normalise(expected);
  const act = normalise(actual);
  if (exp.length !== act.length) return act.join('\n');
  return act.map((line, k) => (exp[k].includes('…') && linePattern(exp[k]).test(line) ? exp[k] : line)).join('\n');
}

/** Replaces the bodies of output blocks in a file (edits given by 0-based line ranges of the bodies). */
export function rewriteFile(path: string, edits: { startIndex: number; endIndex: number; text: string; old: string }[]): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const e of [...edits].sort((x, y) => y.startIndex - x.startIndex)) {
    // The file may have been edited while the examples ran: then the update would land in the wrong place.
    if (lines.slice(e.startIndex, e.endIndex).join('\n') !== e.old) throw new Error(`${path} changed while docs:update ran; run it again`);
    lines.splice(e.startIndex, e.endIndex - e.startIndex, ...e.text.split('\n'));
  }
  writeFileSync(path, lines.join('\n'));
}

/** Does the script talk to the server? */
export const usesServer = (code: string) => /(localhost|127\.0\.0\.1):3001\b/.test(code);

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** A directory holding an `orderstream` executable that runs the built CLI. */
export function cliBin(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orderstream-docs-bin-'));
  const bin = join(dir, 'orderstream');
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(bin, 0o755);
  return dir;
}

export interface DocsServer {
  port: number;
  stop(): Promise<void>;
}

/** `orderstream serve` for the docs, ready when `/health/ready` says so. */
export async function startDocsServer(): Promise<DocsServer> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'orderstream-docs-server-'));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', String(port), ...DOCS_SERVER_ARGS], {
    cwd,
    env: { ...process.env, NODE_ENV: 'development', ORDERSTREAM_DATA_DIR: 'memory', DATABASE_URL: undefined, LOG_LEVEL: 'silent', ORDERSTREAM_API_TOKEN: undefined },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8'); // a character straddling two chunks stays whole
  child.stderr!.on('data', (d: string) => (stderr += d));
  const exited = new Promise<never>((_, fail) => child.once('exit', (code) => fail(new Error(`docs server exited (${code}): ${stderr}`))));
  const ready = (async () => {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
        if (res.status === 200) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  return {
    port,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs one block in bash in `cwd`, the server's address rewritten to `port`; the output with the port written back as 3001. */
export function runBlock(code: string, cwd: string, bin: string, port: number | null, withStderr: boolean): Promise<RunResult> {
  const script = port === null ? code : code.replace(/(localhost|127\.0\.0\.1):3001\b/g, `127.0.0.1:${port}`);
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', withStderr ? `{\n${script}\n} 2>&1` : script], {
      cwd,
      // A reader's shell: no database named, so store commands use the embedded one in the page's directory.
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NODE_ENV: 'development', NO_COLOR: '1', ORDERSTREAM_DATA_DIR: undefined, DATABASE_URL: undefined, ORDERSTREAM_API_TOKEN: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    // Decoded as streams: a character straddling two chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.on('data', (d: string) => {
      if (withStderr) out += d;
    });
    child.once('error', fail);
    child.once('close', (c) => done({ code: c, output: port === null ? out : out.replaceAll(`127.0.0.1:${port}`, '127.0.0.1:3001').replaceAll(`localhost:${port}`, 'localhost:3001') }));
  });
}

/** A fresh temporary working directory for a page, with the package installed in it (`import 'orderstream'` resolves to this repository). */
export function pageDir(file: string): string {
  const dir = mkdtempSync(join(tmpdir(), `orderstream-docs-${file.replace(/\W+/g, '-')}-`));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'orderstream'), 'dir');
  return dir;
}

/** GitHub's heading anchors of a Markdown text. */
export function anchors(text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) inFence = !inFence;
    const m = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Every relative link of a Markdown file that names no existing file or no existing heading. */
export function brokenLinks(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const prose = text.replace(/^(\s*)(`{3,})[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#', 2);
    const resolved = path ? resolve(dirname(join(REPO, file)), path) : join(REPO, file);
    if (!existsSync(resolved)) {
      broken.push(`${file}: ${target} (no such file)`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  return broken;
}
