/**
 * No deprecated aws-cdk-lib API: the example app (examples/app.ts, both stacks) is synthesized in a
 * child process with JSII_DEPRECATED=fail against the installed aws-cdk-lib (the peer floor), by
 * scripts/peer-range.mjs --floor, which also fails on any `[WARNING]` line or deprecation
 * annotation. CI runs the same script against the newest aws-cdk-lib in the registry as well.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

function synthFloor(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/peer-range.mjs'), '--floor', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

describe('deprecated aws-cdk-lib APIs', () => {
  test('the example app synthesizes with JSII_DEPRECATED=fail against the peer floor', () => {
    const r = synthFloor();
    expect(r.stdout).toMatch(/^ok {3}synth of the example, peer floor aws-cdk-lib 2\.253\.0/m);
    expect(r.stdout).toContain('synthesized CustomerData, Personalization');
    expect(r.status).toBe(0);
  });

  test('the check fails on a deprecated API (control: CfnResource#addDependsOn)', () => {
    const r = synthFloor('--app', 'test/helpers/deprecated-api-app');
    expect(r.stdout).toMatch(/^FAIL synth of the example/m);
    expect(r.stdout).toContain('aws-cdk-lib.CfnResource#addDependsOn is deprecated');
    expect(r.status).toBe(1);
  });
});
