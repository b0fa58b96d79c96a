import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import {
  SCREENSHOT_DIR,
  chromiumIsInstalled,
  launchChromium,
  openOfflinePage,
  CHROMIUM_PATH,
} from './chromium.js';

/**
 * GraphiQL in a real (headless) Chromium that can reach only the gateway: the page loads, the member's token
 * is picked, the mobile dashboard runs and shows the member's data; no request leaves for another host and
 * the console shows no error.
 */
const describeWithChromium = chromiumIsInstalled() ? describe : describe.skip;
if (!chromiumIsInstalled()) {
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

describeWithChromium('GraphiQL in Chromium, offline', () => {
  let fed: TestFederation;
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    fed = await startTestFederation({ members: 60 });
    origin = new URL(fed.federation.gatewayUrl).origin;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fed?.stop();
  });

  it('picks the member token, runs the dashboard and shows the data', async () => {
    const { page, offHost, errors } = await openOfflinePage(browser, origin);
    await page.goto(`${origin}/graphql`);
    const picker = page.getByLabel('Development token');
    await picker.waitFor();
    await page.locator('.graphiql-tab', { hasText: 'MobileDashboard' }).click();
    await picker.selectOption({ label: 'member M000001 (demo)' });
    const answered = page.waitForResponse(
      (r) =>
        r.url() === `${origin}/graphql` &&
        r.request().method() === 'POST' &&
        /MobileDashboard/.test(r.request().postData() ?? ''),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.request().headers().authorization).toMatch(/^Bearer /);
    const body = (await response.json()) as { data?: { me?: { id: string } }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data?.me?.id).toBe('M000001');
    // The response editor shows it.
    await page.locator('.graphiql-response').getByText('"displayName"').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'graphiql.png') });
    expect(offHost).toEqual([]);
    expect(errors).toEqual([]);
  });
});
