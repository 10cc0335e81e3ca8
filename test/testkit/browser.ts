import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless. Without the background-networking, component-update and sync
 * switches it calls Google at start-up, which stalls on a machine without internet (and would
 * count as traffic leaving the host). `skipped` says why when there is no browser to launch.
 */
export async function launchBrowser(): Promise<{ browser: Browser } | { skipped: string }> {
  if (!existsSync(chromiumPath)) {
    return { skipped: `${chromiumPath} is absent (install it with: apt-get install -y chromium)` };
  }
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
