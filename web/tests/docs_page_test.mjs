// node docs_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT
// The /docs page in headless Chromium against the real event-consumer: it loads with no request
// to another host and no error, a token pasted into "Authorize" is sent, and "Try it out" on
// POST /api/event stores the example event (200). Writes a screenshot of the answer.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startConsumer } from './consumer_process.mjs';
import { watchPage } from './page_problems.mjs';

const [consumerBinary, tokenBinary, screenshot] = process.argv.slice(2).map((p) => resolve(p));
if (process.argv.length !== 5) {
  console.error('usage: node docs_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT');
  process.exit(2);
}
// Debian's chromium, never a downloaded browser.
const chromiumBinary = '/usr/bin/chromium';

function fail(message) {
  throw new Error(message);
}

const { base, mint, stop } =
  await startConsumer({ consumerBinary, tokenBinary, name: 'docs-page-test' });
let browser;
try {
  const writeToken = mint('events:write');
  const readToken = mint('events:read');

  browser = await chromium.launch({ executablePath: chromiumBinary, timeout: 20000 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(15000);
  const problems = await watchPage(page, base);
  let sentAuthorization = null;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === `${base}/api/event`)
      sentAuthorization = r.headers()['authorization'] ?? '';
  });

  const docs = await page.goto(`${base}/docs`);
  if (docs.status() !== 200) fail(`/docs answered ${docs.status()}`);
  if (!docs.headers()['content-security-policy']) fail('/docs has no Content-Security-Policy');

  const operation = page.locator('#operations-ingest-ingestEvents');
  await operation.waitFor();

  // Authorize with the pasted token (the bearer scheme's dialog).
  await page.locator('.auth-wrapper .authorize').click();
  await page.locator('.modal-ux input').fill(writeToken);
  await page.locator('.modal-ux button.authorize').click();
  await page.locator('.modal-ux button.btn-done').click();

  // POST /api/event: Try it out, send the prefilled example.
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status');
  await status.first().waitFor();
  const answered = (await status.first().innerText()).trim();
  await operation.locator('.live-responses-table').scrollIntoViewIfNeeded();
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: false });

  if (answered !== '200') fail(`Try it out on POST /api/event answered ${answered}, not 200`);
  if (sentAuthorization !== `Bearer ${writeToken}`)
    fail(`the request carried Authorization "${sentAuthorization}", not the pasted token`);

  // The event the page sent is stored.
  const list = await fetch(`${base}/api/events?event_type=user.signup`,
                           { headers: { Authorization: `Bearer ${readToken}` } });
  const stored = (await list.json()).items ?? [];
  if (stored.length !== 1) fail(`${stored.length} user.signup events stored, expected 1`);
  if (problems.length) fail(`the page had problems:\n  ${problems.join('\n  ')}`);
  console.log(`POST /api/event from /docs answered 200; screenshot: ${screenshot}`);
} finally {
  if (browser) await browser.close();
  await stop();
}
