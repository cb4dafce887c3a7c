import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DataStore, Domain } from '@cdk-customer-profiles/constructs';
// eslint-disable-next-line import/no-extraneous-dependencies -- this package itself, by the name users import it with
import { BUNDLED_HANDLER_PATH, deployApp, LocalDeployment } from '@cdk-customer-profiles/local';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';

/** The jest recipe of docs/local-deploy.md, kept runnable with the same imports (mapped to the sources in this repository). */

beforeAll(() => {
  if (!fs.existsSync(BUNDLED_HANDLER_PATH)) {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'bundle-handler.mjs')], { stdio: 'ignore' });
  }
});

function buildApp(days: number): App {
  const app = new App();
  const stack = new Stack(app, 'Customers');
  new Domain(stack, 'Domain', {
    domainName: 'customers',
    dataStore: DataStore.enabled(),
    defaultExpiration: Duration.days(days),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return app;
}

describe('the documented recipe', () => {
  let local: LocalDeployment;
  beforeAll(async () => {
    local = await LocalDeployment.start({ fast: 3000 });
  });
  afterAll(async () => {
    await local.stop();
  });

  test('the domain is created, updated and destroyed', async () => {
    const created = await local.deploy(buildApp(365));
    expect(created.success).toBe(true);
    expect(local.emulator.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 365 });

    const updated = await local.deploy(buildApp(30));
    expect(updated.stacks[0].status).toBe('UPDATE_COMPLETE');
    expect(local.emulator.state.domain('customers')).toMatchObject({ DefaultExpirationDays: 30 });

    expect((await local.destroy()).success).toBe(true);
    expect(local.emulator.state.domain('customers')).toBeUndefined();
  });
});

test('deployApp deploys on a fresh emulator and throws when the deployment fails', async () => {
  const { deployment, result } = await deployApp(buildApp(365), { stepped: true });
  try {
    expect(result.success).toBe(true);
    expect(deployment.emulator.state.domains()).toEqual(['customers']);
  } finally {
    await deployment.stop();
  }
  const broken = new App();
  const stack = new Stack(broken, 'Broken');
  new Domain(stack, 'Domain', { domainName: 'customers', dataStore: DataStore.enabled() });
  const emulator = (await LocalDeployment.start({ stepped: true })).emulator;
  emulator.faults.add({ operation: 'CreateDomain', error: 'AccessDeniedException', message: 'not allowed' });
  await expect(deployApp(broken, { emulator })).rejects.toThrow(/Local deployment failed: Broken: The following resource\(s\) failed to create: \[Domain\w+\]\..*not allowed/);
  await emulator.stop();
});
