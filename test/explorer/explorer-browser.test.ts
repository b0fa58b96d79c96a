import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { waitForEventBacklog } from '../../tools/local-federation/wait-for-event-backlog.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';
import { demoMemberPurchase } from '../wallet/demo-member-purchase.js';
import { useTestFederation } from '../federation-harness.js';
import {
  SCREENSHOT_DIR,
  chromiumIsInstalled,
  launchChromium,
  openOfflinePage,
  CHROMIUM_PATH,
} from './chromium.js';

/**
 * GraphiQL and the operator console in a real (headless) Chromium that can reach only the gateway. GraphiQL:
 * the page loads, the member's token is picked, the mobile dashboard runs and shows the member's data. The
 * console: every chart is drawn from the operator's figures, and a member's token is refused. No request
 * leaves for another host and the browser console shows no error. Screenshots go to .data/screenshots.
 */
const describeWithChromium = chromiumIsInstalled() ? describe : describe.skip;
if (!chromiumIsInstalled()) {
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
}

describeWithChromium('GraphiQL and the console in Chromium, offline', () => {
  // Trained: the stored tiers and the value segments exist.
  const fed = useTestFederation({ members: 60, train: true });
  let browser: Browser;
  let origin: string;
  beforeAll(async () => {
    // The ledger (points, penetration, cohorts) fills as the seeded events go through the stream.
    await waitForEventBacklog(fed.dbs, 1_000, 120_000);
    await redeemAndRate();
    origin = new URL(fed.federation.gatewayUrl).origin;
    browser = await launchChromium();
  });
  /** The demo member earns enough, redeems a benefit and rates it: the redemption and satisfaction charts. */
  async function redeemAndRate(): Promise<void> {
    await demoMemberPurchase(fed, 'pulsefit', 2_000_000);
    const token = await fed.token({ role: 'member', memberId: DEMO_MEMBER_ID });
    for (const operation of [
      'mutation { redeemBenefit(input: { benefitId: "SL-POPCORN", quantity: 1, idempotencyKey: "console-1" }) { status } }',
      'mutation { recordBenefitFeedback(benefitId: "SL-POPCORN", action: REDEEMED, rating: 5) { rating } }',
    ]) {
      const { body } = await fed.query(operation, { token });
      expect(body.errors).toBeUndefined();
    }
  }

  afterAll(async () => {
    await browser?.close();
  });

  it('picks the member token, runs the dashboard and shows the data', async () => {
    const { page, offHost, errors } = await openOfflinePage(browser, origin);
    await page.goto(`${origin}/graphql`);
    const picker = page.getByLabel('Development token');
    await picker.waitFor();
    // The page opens on the dashboard's tab (switching tabs races GraphiQL's reading of the operation name).
    await page.locator('.graphiql-tab-active', { hasText: 'MobileDashboard' }).waitFor();
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

  it('draws every chart of the console from the operator’s figures', async () => {
    const { page, offHost, errors } = await openOfflinePage(browser, origin);
    const answered = page.waitForResponse(
      (r) => r.url() === `${origin}/graphql` && /ConsoleAnalytics/.test(r.request().postData() ?? ''),
    );
    // The operator's token is preselected outside production, and the figures load at once.
    await page.goto(`${origin}/console`);
    const body = (await (await answered).json()) as {
      data?: {
        programmeAnalytics: { crossBrandPenetration: { members: number }[]; points: { issued: number } };
      };
      errors?: unknown[];
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.programmeAnalytics.points.issued).toBeGreaterThan(0);
    expect(body.data!.programmeAnalytics.crossBrandPenetration.some((b) => b.members > 0)).toBe(true);
    const charts = page.locator('[data-chart]');
    expect(await charts.count()).toBe(10);
    // No campaign has run in this federation: that chart says so; every other one is drawn.
    const withoutData = ['uplift'];
    for (const chart of await charts.all()) {
      const id = await chart.getAttribute('data-chart');
      if (withoutData.includes(id!)) {
        await chart.and(page.locator('[data-state="no-data"]')).waitFor();
        await expect(chart.textContent()).resolves.toContain('No data yet');
      } else {
        await chart.and(page.locator('[data-state="rendered"]')).waitFor();
        expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
      }
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'console.png'), fullPage: true });
    expect(offHost).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the console refuses a member’s token, saying why', async () => {
    const { page } = await openOfflinePage(browser, origin);
    await page.goto(`${origin}/console`);
    await page.getByLabel('Development token').selectOption({ label: 'member M000001 (demo)' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('.status.error').getByText('FORBIDDEN').waitFor();
  });
});
