// Starts one `ruche` server for the whole run on an ephemeral port of
// 127.0.0.1, with a fresh data directory, and stops it at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const clientDir = path.resolve(here, '..');

export default async function globalSetup() {
  const binary = process.env.RUCHE_BIN || path.resolve(clientDir, '../build/ci/server/ruche');
  const data = mkdtempSync(path.join(tmpdir(), 'ruche-browser-'));
  const server = spawn(binary, ['--port', '0', '--data-dir', data, '--static-dir', clientDir,
    '--ops-per-second', '200', '--sessions-per-hour', '10000', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ruche did not start within 20 s')), 20_000);
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/(http:\/\/\S+?)\/?\s/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`ruche exited with ${code}`)));
  });
  process.env.RUCHE_URL = url;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.on('exit', resolve));
    rmSync(data, { recursive: true, force: true });
  };
}
