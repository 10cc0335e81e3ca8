import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDataIfEmpty } from '../src/demo/demo-seed.js';
import { launchBrowser } from './testkit/browser.js';
import { startTestServer, type TestServer } from './testkit/test-server.js';

const launched = await launchBrowser();
if ('skipped' in launched) console.warn(`explorer browser test skipped: ${launched.skipped}`);

/**
 * Switches tabs (a click can land while GraphiQL is still re-rendering, so retry until it took). The click
 * goes to the tab's own button: the tabs are draggable, and headless Chromium 156 leaves them translated
 * over each other, so a pointer click at a tab's position lands on its neighbour.
 */
const openTab = async (page: Page, index: number) => {
  const id = `graphiql-session-tab-${index}`;
  await expect
    .poll(
      async () => {
        await page.locator(`#${id}`).dispatchEvent('click');
        return page.locator('.graphiql-tab-active button[id^="graphiql-session-tab-"]').getAttribute('id');
      },
      { timeout: 60_000 },
    )
    .toBe(id);
};

/** The text of a Monaco editor pane (spaces come out as no-break spaces). */
const paneText = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').replace(/\u00a0/g, ' ');
const resultText = (page: Page) => paneText(page, '.graphiql-response');
const editorText = (page: Page) => paneText(page, '.graphiql-query-editor');

describe.skipIf('skipped' in launched)('the GraphiQL explorer on GET /graphql, in a real browser', () => {
  const browser = (launched as { browser: Browser }).browser;
  let server: TestServer;
  beforeAll(async () => {
    // A private database: the explorer's first tab asks for the demo restaurant by its fixed slug.
    server = await startTestServer({ EXPLORER_ENABLED: 'true' }, { embedded: true });
    await seedDemoDataIfEmpty(server.infra.db.prisma);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads offline, runs the demo query, signs in from its SignIn tab, and no request leaves the host', async () => {
    const context = await browser.newContext();
    const requested: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/graphql`, { waitUntil: 'domcontentloaded', timeout: 240_000 });
    expect(response?.headers()['content-security-policy']).toContain('worker-src blob:');
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 240_000 });

    await run.click();
    await expect.poll(() => resultText(page), { timeout: 60_000 }).toContain('"name": "Demo Bistro"');

    await openTab(page, 1);
    // The tab is active before its editor shows its document: run only once it does.
    await expect.poll(() => editorText(page), { timeout: 60_000 }).toContain('mutation SignIn');
    // The token as the explorer received it (the result pane is a Monaco editor, awkward to scrape). Under load
    // a run pressed just after the switch can still run the previous tab's document: press again until it is SignIn.
    let signedIn: Response | undefined;
    await expect
      .poll(
        async () => {
          const answer = page
            .waitForResponse((response) => response.request().postData()?.includes('mutation SignIn') ?? false, { timeout: 5_000 })
            .catch(() => undefined);
          await run.click();
          signedIn = await answer;
          return signedIn !== undefined;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const token = ((await (signedIn as Response).json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
    await expect.poll(() => resultText(page), { timeout: 60_000 }).toContain('"accessToken"');
    expect(token).toMatch(/^ey/);

    const origin = new URL(server.url).origin;
    const outside = requested.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith(`blob:${origin}/`) && !url.startsWith('data:'),
    );
    expect(outside).toEqual([]);
    expect(requested.filter((url) => url === `${origin}/graphql`).length).toBeGreaterThanOrEqual(3);
    await context.close();
  }, 600_000);

  it('is off without the flag: no HTML, a strict policy', { timeout: 300_000 }, async () => {
    const plain = await startTestServer();
    try {
      const response = await fetch(`${plain.url}/graphql`, { headers: { accept: 'text/html', 'apollo-require-preflight': 'true' } });
      expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await response.text()).not.toMatch(/<html/i);
    } finally {
      await plain.close();
    }
  });
});
