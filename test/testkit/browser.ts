import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium package; the browser tests run only where it is installed. */
const chromiumPath = '/usr/bin/chromium';

/**
 * A headless Debian Chromium driven by playwright-core (which downloads no browser), or why there
 * is none: `{ skipped }` when /usr/bin/chromium is absent (`apt-get install -y chromium`).
 */
export async function launchBrowser(): Promise<{ browser: Browser } | { skipped: string }> {
  if (!existsSync(chromiumPath)) return { skipped: `${chromiumPath} is absent (apt-get install -y chromium)` };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser };
}
