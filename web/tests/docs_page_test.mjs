// node docs_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT
// The /docs page in headless Chromium against the real event-consumer: it loads with no request
// to another host and no error, a token pasted into "Authorize" is sent, and "Try it out" on
// POST /api/event stores the example event (200). Writes a screenshot of the answer.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [consumerBinary, tokenBinary, screenshot] = process.argv.slice(2).map((p) => resolve(p));
if (process.argv.length !== 5) {
  console.error('usage: node docs_page_test.mjs CONSUMER TOKEN_TOOL SCREENSHOT');
  process.exit(2);
}
// Debian's chromium, never a downloaded browser.
const chromiumBinary = '/usr/bin/chromium';
const secret = 'docs-page-test-secret-of-at-least-32-bytes';

function fail(message) {
  throw new Error(message);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(base, consumer) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (consumer.exitCode !== null) fail(`event-consumer exited with ${consumer.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  fail('event-consumer did not answer /healthz within 15 s');
}

// Run in an empty folder, so that no .env of the working tree changes the settings.
const work = mkdtempSync(join(tmpdir(), 'evs-docs-test-'));
const env = { ...process.env, SECRET_KEY: secret, ALGORITHM: 'HS256' };
const mint = (scope) =>
  execFileSync(tokenBinary, ['--sub', 'docs-page-test', '--scope', scope, '--ttl', '10m'],
               { cwd: work, env, encoding: 'utf8' }).trim();

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const consumer = spawn(consumerBinary, [], {
  cwd: work,
  env: { ...env, HOST: '127.0.0.1', PORT: String(port), DB_PATH: join(work, 'events.db') },
  stdio: ['ignore', 'inherit', 'inherit'],
});
consumer.on('error', (e) => console.error(`cannot start ${consumerBinary}: ${e.message}`));
let browser;
try {
  await waitUntilServing(base, consumer);
  const writeToken = mint('events:write');
  const readToken = mint('events:read');

  browser = await chromium.launch({ executablePath: chromiumBinary, timeout: 20000 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(15000);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Anything for another host is stopped and counted: the page must work offline.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`) || url.startsWith('data:')) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
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
  consumer.kill('SIGTERM');
  await new Promise((resolve) => (consumer.exitCode !== null ? resolve() : consumer.once('exit', resolve)));
  rmSync(work, { recursive: true, force: true });
}
