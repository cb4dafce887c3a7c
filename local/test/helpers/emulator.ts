import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { Clock, Emulator, EmulatorOptions } from '../../src/emulator';

export interface EmulatorForTests {
  readonly emu: Emulator;
  /** A real SDK client for the emulator: one attempt per call (no retries), dummy credentials. */
  readonly client: CustomerProfilesClient;
}

/** Starts an emulator with a manual clock (unless `options.clock` says otherwise) and a client for it. */
export async function startEmulatorForTests(options: EmulatorOptions = {}): Promise<EmulatorForTests> {
  const emu = await Emulator.start({ clock: Clock.manual(Date.UTC(2026, 0, 1)), ...options });
  const client = new CustomerProfilesClient({
    endpoint: emu.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
    maxAttempts: 1,
  });
  return { emu, client };
}

/** Stops what startEmulatorForTests started. */
export async function stopEmulatorForTests(env: EmulatorForTests | undefined): Promise<void> {
  if (!env) return;
  env.client.destroy();
  await env.emu.stop();
}
