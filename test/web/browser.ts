/**
 * Debian's chromium driven by playwright-core (no browser download). A test file whose
 * browser is missing is skipped with the reason printed — unless
 * ORDERSTREAM_REQUIRE_SERVICES=1, where it fails (test/helpers/services.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serviceMissing } from '../helpers/services.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
export const SCREENSHOTS = join(process.cwd(), 'test-results');

export const browserMissing = () =>
  serviceMissing(`chromium at ${CHROMIUM}`, () => {
    if (!existsSync(CHROMIUM)) throw new Error('not installed (apt-get install -y chromium)');
  });

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
