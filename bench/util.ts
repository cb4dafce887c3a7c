/** Small statistics and I/O helpers shared by the benchmarks. */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Writes bench/results/<name>.json (git-ignored; docs/benchmarks.md holds the committed numbers). */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** Runs `a` and `b` alternately `rounds` times after `warmup` rounds, returning both series. */
export async function interleave(rounds: number, warmup: number, a: () => Promise<number> | number, b: () => Promise<number> | number) {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < warmup + rounds; i++) {
    // Alternate which side goes first so that neither profits from the other's warm caches.
    const first = i % 2 === 0;
    const x = first ? await a() : await b();
    const y = first ? await b() : await a();
    if (i < warmup) continue;
    as.push(first ? x : y);
    bs.push(first ? y : x);
  }
  return { a: as, b: bs };
}

export function machine() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('os') as typeof import('os');
  return { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, platform: `${os.platform()} ${os.arch()}` };
}
