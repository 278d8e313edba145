// What every browser test of the page shares: the repository root, the screenshot folder,
// Chromium's flags, the `repere` binary under test and a free loopback port. Not a test file
// itself (`node --test` runs `*.test.mjs`).
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const shots = join(root, 'target', 'screenshots');
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** REPERE_BIN, else the newest of target/release/repere and target/debug/repere. */
export function repereBinary() {
  if (process.env.REPERE_BIN) return process.env.REPERE_BIN;
  const found = ['release', 'debug'].map((p) => join(root, 'target', p, 'repere')).filter((p) => existsSync(p));
  if (!found.length) throw new Error('no repere binary: run `cargo build -p repere-server` first (or set REPERE_BIN)');
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}
