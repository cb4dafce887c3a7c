/** The emulator as a standalone server for applications (`cdk-customer-profiles-local serve`, docs/emulator-server.md). */
export { ADMIN_PREFIX } from './admin';
export {
  demoDataSet, generateSampleData, loadSampleData, parseSampleDataSet, SAMPLE_OBJECT_TYPE_FIELDS, SAMPLE_OBJECT_TYPES, sampleCustomerId,
  type SampleDataOptions, type SampleDataResult, type SampleDataSet, type SampleField, type SampleRecord,
} from './sample-data';
export { serve, SERVE_USAGE, type EmulatorServer, type ServeIo, type ServerOptions, startServer } from './serve';
export { ServerClock, type ServerClockOptions } from './server-clock';
