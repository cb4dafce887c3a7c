/** The local Customer Profiles emulator (Node only; not part of the jsii API). */
export { Clock } from './clock';
export { Emulator, EmulatorOptions, RequestRecord, StateView } from './emulator';
export { ErrorName, ServiceError } from './errors';
export { FaultError, Faults, FaultSpec } from './faults';
export { MODEL_PATH, ServiceModel } from './model';
export { EmulatorSnapshot } from './snapshot';
export { DEFAULT_TIMING, SeedRecommendation, SeedRecord, Timing } from './state';
