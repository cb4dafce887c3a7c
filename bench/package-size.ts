/**
 * Issue #15's size bound on the library's npm package (at most 1 MiB packed, 3 MiB unpacked), as
 * scripts/package-size.mjs measures it with `npm pack --dry-run` (the check CI fails on), and the
 * local toolkit's package for comparison. Needs the compiled packages (`npm run bench` compiles first).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './util';

export interface PackageSize {
  readonly name: string;
  readonly packed: number;
  readonly unpacked: number;
  readonly files: number;
  readonly limits?: { readonly packed: number; readonly unpacked: number };
}

export function packageSizes(): PackageSize[] {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package-size.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as PackageSize[];
}
