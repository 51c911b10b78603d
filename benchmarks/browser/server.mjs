// A `ruche` for the benchmark, started as the browser tests start theirs
// (client-web/tests/global-setup.js). It runs on CPU 0 and the browser on
// CPU 1 (taskset) when the machine has two.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { startRuche } from '../../client-web/tests/global-setup.js';

const CHROMIUM = process.env.RUCHE_CHROMIUM || '/usr/lib/chromium/chromium';
export const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// The rate limit is the tests' (200 ops/s a connection): the seeding runs on
// several connections anyway.
export function startServer(binary, clientDir) {
  return startRuche(binary, {
    args: ['--static-dir', clientDir, '--ops-per-second', '200', '--sessions-per-hour', '10000', '--log-level', 'warn'],
    prefix: pinned ? ['taskset', '-c', '0'] : [],
  });
}

// Debian's Chromium with the tests' flags, every process of it on CPU 1.
export function launchOptions() {
  let executablePath = CHROMIUM;
  if (pinned) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ruche-chromium-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    executablePath = path.join(dir, 'chromium');
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c 1 ${CHROMIUM} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  return {
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  };
}
