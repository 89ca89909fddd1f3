// node dashboard_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT
// The /dashboard page in headless Chromium against the real event-consumer: it loads with no
// request to another host and no console error; with a pasted events:read token, events posted
// from here make the ingest rate and the latest events change on screen. Writes a screenshot;
// with EVS_UPDATE_SCREENSHOT=1 also copies it to docs/dashboard.png (the README's picture).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startConsumer } from './consumer_process.mjs';
import { watchPage } from './page_problems.mjs';

const [consumerBinary, tokenBinary, screenshot] = process.argv.slice(2).map((p) => resolve(p));
if (process.argv.length !== 5) {
  console.error('usage: node dashboard_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT');
  process.exit(2);
}
// Debian's chromium, never a downloaded browser.
const chromiumBinary = '/usr/bin/chromium';
const readmePicture = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/dashboard.png');

function fail(message) {
  throw new Error(message);
}

const { base, mint, stop } =
  await startConsumer({ consumerBinary, tokenBinary, name: 'dashboard-page-test' });
let browser;
let problems = [];
try {
  const writeToken = mint('events:write');
  const readToken = mint('events:read');
  const post = async (events) => {
    const res = await fetch(`${base}/api/event`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${writeToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(events),
    });
    if (res.status !== 200) fail(`POST /api/event answered ${res.status}: ${await res.text()}`);
  };

  browser = await chromium.launch({ executablePath: chromiumBinary, timeout: 20000 });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1180 } });
  page.setDefaultTimeout(15000);
  problems = await watchPage(page, base);

  const dashboard = await page.goto(`${base}/dashboard`);
  if (dashboard.status() !== 200) fail(`/dashboard answered ${dashboard.status()}`);
  if (!dashboard.headers()['content-security-policy']) fail('/dashboard has no Content-Security-Policy');

  // The page has scraped /metrics: storage readiness and the idle rate are on screen.
  await page.locator('#storage.ok').waitFor();
  await page.waitForFunction(() => document.querySelector('#events-rate').textContent === '0.0');
  const idleRate = await page.locator('#events-rate').innerText();
  if ((await page.locator('#latest-events tbody tr').count()) !== 0) fail('latest events shown without a token');
  if (!(await page.locator('#events-status').innerText()).includes('No token'))
    fail('the page does not say the event panels need a token');

  // Paste a token; then events arrive, spread over a few seconds as a real client sends them.
  await page.locator('#token').fill(readToken);
  await page.locator('#token-save').click();
  for (let round = 0; round < 6; round++) {
    const batch = [];
    for (let i = 0; i < 20; i++)
      batch.push({ event_type: round % 3 === 0 ? 'order.placed' : 'user.signup',
                   event_payload: { round, i, note: 'posted by the dashboard test' } });
    await post(batch);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }

  // The rate rises above zero and the latest events show what was posted.
  await page.waitForFunction(() => Number(document.querySelector('#events-rate').textContent) > 0);
  const busyRate = await page.locator('#events-rate').innerText();
  // The page may refresh between two posts: wait for the last round (user.signup) on top.
  await page.locator('#latest-events tbody tr').nth(14).waitFor();
  await page.waitForFunction(() => {
    const newest = document.querySelector('#latest-events tbody tr');
    return newest?.querySelectorAll('td')[1]?.textContent === 'user.signup' &&
           newest.textContent.includes('"round":5');
  });
  await page.waitForFunction(
    () => document.querySelector('#top-types tbody tr td')?.textContent === 'user.signup' &&
          document.querySelector('#top-types tbody tr td.num')?.textContent === '80');
  const topTypes = await page.locator('#top-types tbody tr').allInnerTexts();
  if (topTypes.length !== 2) fail(`top event types show ${topTypes.length} rows, expected 2`);
  if (await page.evaluate(() => sessionStorage.getItem('evs.dashboard.token')) !== readToken)
    fail('the pasted token is not kept in sessionStorage');
  // The charts are drawn (uPlot's canvases), the latency card has a figure.
  if ((await page.locator('#rate-chart canvas').count()) !== 1) fail('no ingest rate chart');
  await page.waitForFunction(() => document.querySelector('#latency-p50').textContent.endsWith(' ms'));

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (process.env.EVS_UPDATE_SCREENSHOT === '1') {
    copyFileSync(screenshot, readmePicture);
    console.log(`copied the screenshot to ${readmePicture}`);
  }

  if (problems.length) fail(`the page had problems:\n  ${problems.join('\n  ')}`);
  console.log(`ingest rate ${idleRate} -> ${busyRate} events/s, latest events shown; screenshot: ${screenshot}`);
} catch (e) {
  if (problems.length) console.error(`the page had problems:\n  ${problems.join('\n  ')}`);
  throw e;
} finally {
  if (browser) await browser.close();
  await stop();
}
