import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';

/** Debian's chromium (`apt-get install chromium`; `.ci/run` installs it), or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumIsInstalled = (): boolean => existsSync(CHROMIUM_PATH);

/** Where browser tests leave their screenshots (under .data/, which git ignores). */
export const SCREENSHOT_DIR = resolve(projectRoot(), '.data', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Tests run as root in CI containers, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

export interface WatchedPage {
  page: Page;
  /** Requests the page (and its workers) tried to send anywhere but the gateway; they were refused. */
  offHost: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/**
 * A page that can reach the gateway and nothing else, as on a network without internet: any other request
 * is aborted and recorded.
 */
export async function openOfflinePage(browser: Browser, gatewayOrigin: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const offHost: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === gatewayOrigin || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    offHost.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(gatewayOrigin) && !url.startsWith('data:') && !url.startsWith('blob:'))
      offHost.push(url);
  });
  return { page, offHost, errors };
}
