// Starts one `ruche` server for the whole run on an ephemeral port of
// 127.0.0.1, with a fresh data directory, and stops it at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const clientDir = path.resolve(here, '..');

// Starts `binary` on an ephemeral port of 127.0.0.1 with a fresh data
// directory and these extra arguments, under `prefix` (a command such as
// taskset) if given. Resolves once it listens: { url, stop() }.
export async function startRuche(binary, { args = [], prefix = [] } = {}) {
  const data = mkdtempSync(path.join(tmpdir(), 'ruche-browser-'));
  const command = [...prefix, binary, '--port', '0', '--data-dir', data, ...args];
  const server = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
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
  return {
    url,
    async stop() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export default async function globalSetup() {
  const binary = process.env.RUCHE_BIN || path.resolve(clientDir, '../build/ci/server/ruche');
  const server = await startRuche(binary, {
    args: ['--static-dir', clientDir, '--ops-per-second', '200', '--sessions-per-hour', '10000', '--log-level', 'warn'],
  });
  process.env.RUCHE_URL = server.url;
  return server.stop;
}
