/**
 * Every text colour of the web app's stylesheet against every surface it can sit on, in the
 * light and the dark theme: WCAG AA (4.5:1 for text). axe checks what is on screen, but it
 * leaves rows scrolled out of a table's own scroll area "incomplete" (it cannot see their
 * background), and a badge colour that only such a row shows would go unchecked; this checks
 * the palette itself, every pair, whatever is on screen.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync(new URL('../../web/src/styles.css', import.meta.url), 'utf8');
/**
 * Where text with no background of its own can be: the page, a panel, a row as it flashes or an
 * event selected, a warning or error banner.
 */
const SURFACES = ['bg', 'panel', 'flash', 'warn-bg', 'err-bg'];
/**
 * Backgrounds no free text sits on: the accent carries only its own text colour (a rule that sets
 * both, checked as a pair), the rest are dots, bars and skeletons without text. A background
 * token in neither list fails the test below, so a new surface is not left out unnoticed.
 */
const NOT_SURFACES = ['accent', 'line', 'muted', 'ok', 'high', 'urgent'];
const AA_TEXT = 4.5;

function tokens(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map(([, name, hex]) => [name, hex.toLowerCase()]));
}

const light = tokens(/:root\s*\{([^}]*)\}/.exec(CSS)![1]);
const dark = tokens(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(CSS)![1]);

/** Each rule's text colour and the backgrounds it is drawn on (its own, or any surface). */
function pairs(): Array<{ rule: string; fg: string; bg: string }> {
  const out: Array<{ rule: string; fg: string; bg: string }> = [];
  for (const [, selector, body] of CSS.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const color = /(?:^|;)\s*color:\s*([^;]+)/.exec(body)?.[1].trim();
    if (!color) continue;
    const fg = /^var\(--([\w-]+)\)$/.exec(color)?.[1];
    if (!fg) throw new Error(`${selector.trim()}: color ${color} is not a token of the palette (var(--…)), so its contrast cannot be checked`);
    const own = /background(?:-color)?:\s*var\(--([\w-]+)\)/.exec(body)?.[1];
    for (const bg of own ? [own] : SURFACES) out.push({ rule: selector.trim(), fg, bg });
  }
  return out;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('the web app\'s palette', () => {
  it('computes contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('reads every rule that sets a text colour, and every token in both themes', () => {
    const found = pairs();
    expect(new Set(found.map((p) => p.fg))).toEqual(new Set(['text', 'muted', 'accent', 'accent-text', 'ok', 'urgent', 'high', 'warn-text', 'err-text']));
    for (const p of found) for (const theme of [light, dark]) expect(theme.has(p.fg) && theme.has(p.bg), `${p.rule}: --${p.fg} on --${p.bg}`).toBe(true);
    // The dark theme redefines every colour, each to another value (one it left out would be the light one on a dark page).
    expect([...dark.keys()].sort()).toEqual([...light.keys()].sort());
    expect([...dark.keys()].filter((k) => dark.get(k) === light.get(k))).toEqual([]);
    const backgrounds = new Set([...CSS.matchAll(/background(?:-color)?:\s*var\(--([\w-]+)\)/g)].map(([, t]) => t));
    expect([...backgrounds].filter((t) => !SURFACES.includes(t) && !NOT_SURFACES.includes(t))).toEqual([]);
  });

  for (const [name, theme] of [['light', light], ['dark', dark]] as const) {
    it(`${name} theme: every text colour on every surface it can sit on is at least ${AA_TEXT}:1, and the body text too`, () => {
      const low = [...pairs(), ...SURFACES.map((bg) => ({ rule: ':root', fg: 'text', bg }))]
        .map((p) => ({ ...p, ratio: contrast(theme.get(p.fg)!, theme.get(p.bg)!) }))
        .filter((p) => p.ratio < AA_TEXT)
        .map((p) => `${p.rule}: --${p.fg} on --${p.bg} is ${p.ratio.toFixed(2)}:1`);
      expect(low).toEqual([]);
    });
  }
});
