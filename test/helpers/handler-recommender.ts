import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { startEmulator } from './handler-emulator';
import { createEvent, deploy } from './handler-events';
import { Emulator } from '../../local/src/emulator';
import { ResourceTypes } from '../../src/private/contract';

/** Shared set-up of the recommender handler tests. */
export const RECOMMENDER = ResourceTypes.RECOMMENDER;
export const MINUTE = 60_000;

/** A recommender's Config as the construct writes it, with overrides. */
export function recommenderConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    DomainName: 'customers',
    RecommenderName: 'for-you',
    RecommenderRecipeName: 'recommended-for-you',
    RecommenderConfig: { EventsConfig: { EventParametersList: [{ EventType: 'purchase' }] }, TrainingFrequency: 7 },
    Description: 'Recommendations on the home page',
    Enabled: true,
    WaitForActive: true,
    TimeoutSeconds: 3000,
    ...overrides,
  };
}

/** An emulator with realistic recommender durations and the domain 'customers' in it. */
export async function startWithDomain(): Promise<Emulator> {
  const emu = await startEmulator({
    recommenderTrainingSeconds: 1800,
    recommenderUpdateSeconds: 600,
    recommenderStartSeconds: 300,
    recommenderStopSeconds: 120,
    recommenderDeleteSeconds: 60,
  });
  await deploy(emu, createEvent(ResourceTypes.DOMAIN, {
    DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60,
  }));
  emu.resetRequests();
  return emu;
}

/**
 * A client of "someone else": the SDK used directly (the console, another tool), not the handler,
 * so what it creates carries no owner marker unless the test gives it one.
 */
export function othersClient(emu: Emulator): CustomerProfilesClient {
  return new CustomerProfilesClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDOTHERS', secretAccessKey: 'others-secret' },
    maxAttempts: 1,
  });
}
