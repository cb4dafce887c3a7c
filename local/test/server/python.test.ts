import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { startServer } from '../../src/server';

/**
 * boto3 against the standalone server: local/test/python/test_server_boto3.py (pytest) through
 * every operation the emulator implements. Skipped, with a message, where python3, boto3 or
 * pytest is missing.
 */

const PYTHON = process.env.PYTHON ?? 'python3';
const probe = spawnSync(PYTHON, ['-c', 'import boto3, pytest; print(boto3.__version__)'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(`local/test/server/python.test.ts skipped: ${PYTHON} with boto3 and pytest is not available (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})`);
}

(available ? test : test.skip)('every implemented operation, its errors and pagination, with boto3', async () => {
  const server = await startServer({ clock: { startMs: Date.UTC(2026, 0, 1), frozen: true } });
  try {
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', path.join(__dirname, '..', 'python')], {
        env: { ...process.env, CUSTOMER_PROFILES_ENDPOINT: server.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (code: number | null) => resolve({ code, output }));
    });
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
    expect(run.output).toMatch(/5 passed/);
    const called = new Set(server.emulator.requests.map((r) => r.operation));
    expect(server.emulator.implementedOperations.filter((op) => !called.has(op))).toEqual([]);
  } finally {
    await server.stop();
  }
});
