import { MAX_ATTEMPTS_ENV } from '../../lambda/client';
import { resetClients } from '../../lambda/index';
import { Clock, Emulator, NO_TRAINING_REQUIREMENTS, Timing, TrainingRequirements } from '../../local/src/emulator';
import { ENDPOINT_ENV } from '../../src/private/contract';

/**
 * Starts an emulator on a manual clock for handler tests and points the handler's client
 * factory at it (the same environment variable the local deploy engine sets).
 */
export async function startEmulator(
  timing: Partial<Timing> = {},
  maxAttempts = 3,
  // The handler's own paths, not the data: recommenders train on an empty domain here unless a
  // test asks for the emulator's minimum (local/test/emulator/training.test.ts).
  training: Partial<TrainingRequirements> = NO_TRAINING_REQUIREMENTS,
): Promise<Emulator> {
  const emu = await Emulator.start({ clock: Clock.manual(), timing, training });
  process.env[ENDPOINT_ENV] = emu.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env[MAX_ATTEMPTS_ENV] = String(maxAttempts);
  resetClients();
  // The handler logs one JSON line per step; keep test output readable (captureOutput still sees them).
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  return emu;
}

export async function stopEmulator(emu: Emulator | undefined): Promise<void> {
  resetClients();
  delete process.env[ENDPOINT_ENV];
  delete process.env[MAX_ATTEMPTS_ENV];
  await emu?.stop();
  jest.restoreAllMocks();
}
