// The real event-consumer for the browser tests: on a free port, SQLite in a fresh temp folder
// (run there, so no .env of the working tree changes the settings), with tokens from event-token.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    if (consumer.exitCode !== null) throw new Error(`event-consumer exited with ${consumer.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('event-consumer did not answer /healthz within 15 s');
}

// Starts the consumer and waits for /healthz. Returns its base URL, mint(scope) for a token,
// and stop(), which ends it with SIGTERM and removes the folder.
export async function startConsumer({ consumerBinary, tokenBinary, name }) {
  const work = mkdtempSync(join(tmpdir(), `evs-${name}-`));
  // The database settings of the environment (scripts/with-postgres sets some) are not ours.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([key]) => key !== 'DATABASE_URL' && !key.startsWith('DB_')));
  const env = { ...inherited, SECRET_KEY: `${name}-secret-of-at-least-32-bytes-long`, ALGORITHM: 'HS256' };
  const mint = (scope) =>
    execFileSync(tokenBinary, ['--sub', name, '--scope', scope, '--ttl', '10m'],
                 { cwd: work, env, encoding: 'utf8' }).trim();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const consumer = spawn(consumerBinary, [], {
    cwd: work,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), DB_PATH: join(work, 'events.db') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  consumer.on('error', (e) => console.error(`cannot start ${consumerBinary}: ${e.message}`));
  const stop = async () => {
    if (consumer.exitCode === null) consumer.kill('SIGTERM');
    await new Promise((resolve) => (consumer.exitCode !== null ? resolve() : consumer.once('exit', resolve)));
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(base, consumer);
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, mint, stop };
}
