/** The local Customer Profiles emulator (Node only; not part of the jsii API). */
export { Clock } from './clock';
export { type AdminRoutes, Emulator, type EmulatorOptions, type RequestRecord, StateView } from './emulator';
export { type ErrorName, ServiceError } from './errors';
export { type FaultError, Faults, type FaultSpec } from './faults';
export { MODEL_PATH, ServiceModel } from './model';
export type { EmulatorSnapshot } from './snapshot';
export { DEFAULT_TIMING, DEFAULT_TRAINING_REQUIREMENTS, NO_TRAINING_REQUIREMENTS, type SeedRecommendation, type SeedRecord, type Timing, type TrainingRequirements } from './state';
export { accessDeniedMessage, type AuthorizationRequest, type Decision, evaluate, type IamOptions, IAM_DATA_PATH, type PolicyDocument, type PolicyStatement } from './iam';
