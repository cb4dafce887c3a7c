/**
 * The shipped bundle's trims of the SDK (scripts/bundle-handler.mjs): the build keeps only the
 * client schemas the handler's commands reach and checks them against the SDK's own build; these
 * tests run that check, show that it fails when a schema is lost or changed, and that the first
 * invocation no longer loads what the trims left out.
 */
import { execFile } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { promisify } from 'util';
import { commandsUsedByHandler } from '../../bench/bundle';
import { Emulator } from '../../local/src/emulator';
import { ResourceTypes } from '../../src/private/contract';
import { startEmulator, stopEmulator } from '../helpers/handler-emulator';
import { deleteEvent } from '../helpers/handler-events';

const execFileAsync = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'bundle-handler.mjs');
const BUNDLE = path.join(ROOT, 'assets', 'handler', 'index.js');

/** Runs an ES module snippet that imports the build script's exports as `build`. */
async function withBuildScript(body: string): Promise<string> {
  const source = `import * as build from ${JSON.stringify(pathToFileURL(SCRIPT).href)};\n${body}`;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT });
  return stdout;
}

test('the build checks the schemas of every command the handler imports against the SDK\'s own', async () => {
  const { stdout } = await execFileAsync(process.execPath, [SCRIPT], { cwd: ROOT });
  const m = /schemas of its (\d+) commands \((\d+) shapes\) and (\d+) errors equal the SDK's own/.exec(stdout);
  expect(m).not.toBeNull();
  const commands = commandsUsedByHandler();
  expect(commands.length).toBeGreaterThan(10);
  expect(Number(m![1])).toBe(commands.length);
  expect(Number(m![2])).toBeGreaterThan(commands.length * 3);
  expect(Number(m![3])).toBeGreaterThan(0);
  // Only the reachable schemas are left: operations the handler never sends are gone.
  const bundle = readFileSync(BUNDLE, 'utf8');
  expect(bundle).toContain('"GetDomainRequest"');
  expect(bundle).not.toContain('"MergeProfilesRequest"');
});

test('the check fails when the trimming lost a schema or changed a value', async () => {
  // The schema transform with one sabotage after it; verifySchemas must name the command.
  const out = await withBuildScript(`
    const sabotages = {
      lost: (s) => s.replace('() => DomainStats$', '0'),
      flag: (s) => s.replace(/(export var GetDomainRequest\\$ = \\[3, n0, _GDR,\\s*)0,/, '$11,'),
      key: (s) => s.replace('"http": ["GET", "/domains/{DomainName}", 200]', '"http": ["GET", "/domains/{Domain}", 200]'),
    };
    for (const [name, sabotage] of Object.entries(sabotages)) {
      const schemas = (source, file) => {
        const pure = build.pureSchemas(source, file);
        const broken = sabotage(pure);
        if (broken === pure) throw new Error('sabotage ' + name + ' changed nothing');
        return broken;
      };
      try {
        await build.verifySchemas(['TagResourceCommand', 'GetDomainCommand'], { trims: build.sdkTrims({ schemas }) });
        console.log(name + ': not detected');
      } catch (e) {
        console.log(name + ': ' + e.message.split('\\n')[1].trim().split(':')[0]);
      }
    }
    console.log('intact: ' + JSON.stringify(await build.verifySchemas(['TagResourceCommand', 'GetDomainCommand'])));
  `);
  expect(out).toContain('lost: GetDomainCommand');
  expect(out).toContain('flag: GetDomainCommand');
  expect(out).toContain('key: GetDomainCommand');
  expect(out).toMatch(/intact: \{"commands":2,"shapes":\d+,"errors":\d+\}/);
});

test('the schema transform refuses a module it does not expect', async () => {
  const out = await withBuildScript(`
    const cases = {
      fine: 'const _h = "http";\\nexport var A$ = [9, "ns", "A", { [_h]: ["GET", "/", 200] }];',
      unknownKey: 'const _h = "http";\\nexport var A$ = [9, "ns", "A", { [h2]: ["GET", "/", 200] }];',
      otherComputedKey: 'const _h = "http";\\nexport var A$ = [9, "ns", "A", { [_h]: 1, [f()]: 2 }];',
      noComputedKey: 'const _h = "http";\\nexport var A$ = [9, "ns", "A", { http: 1 }];',
    };
    for (const [name, source] of Object.entries(cases)) {
      try { console.log(name + ': ' + JSON.stringify(build.pureSchemas(source, name))); }
      catch (e) { console.log(name + ': refused'); }
    }
  `);
  expect(out).toContain('fine: "const _h = \\"http\\";\\nexport var A$ = [9, \\"ns\\", \\"A\\", { \\"http\\": [\\"GET\\", \\"/\\", 200] }];"');
  expect(out).toContain('unknownKey: refused');
  expect(out).toContain('otherComputedKey: refused');
  expect(out).toContain('noComputedKey: refused');
});

describe('a first invocation of the bundle', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startEmulator();
  });
  afterEach(async () => {
    await stopEmulator(emu);
  });

  test('loads neither Node\'s web streams nor fs/promises, and answers as before', async () => {
    await execFileAsync(process.execPath, [SCRIPT], { cwd: ROOT });
    // The Delete of a domain that does not exist: one GetDomain, answered 404 (an error response, whose body is collected).
    const event = deleteEvent(ResourceTypes.DOMAIN, 'missing', { DomainName: 'missing' });
    // The modules Node loaded for the bundle and its invocation (not those of its own start).
    const script = `const before = new Set(process.moduleLoadList); require(${JSON.stringify(BUNDLE)}).handler(JSON.parse(process.argv[1])).then((r) => {`
      + 'const modules = process.moduleLoadList.filter((m) => !before.has(m));'
      + 'process.stdout.write("\\nRESULT " + JSON.stringify({ result: r, modules }) + "\\n"); })';
    const { stdout } = await execFileAsync(process.execPath, ['-e', script, JSON.stringify(event)], { env: process.env });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line).toBeDefined();
    const { result, modules } = JSON.parse(line!.slice('RESULT '.length)) as { result: Record<string, unknown>; modules: string[] };
    expect(result).toMatchObject({ PhysicalResourceId: 'missing' });
    expect(emu.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['GetDomain 404']);
    expect(modules).toContain('NativeModule http');
    expect(modules.filter((m) => /webstreams|fs\/promises/.test(m))).toEqual([]);
  });
});
