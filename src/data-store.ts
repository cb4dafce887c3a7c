import { Duration } from 'aws-cdk-lib';

/**
 * Options for a domain whose data store is enabled.
 */
export interface DataStoreOptions {
  /**
   * Whether the deployment waits until the data store is ready
   * (`DataStore.Readiness.ProgressPercentage` reported by GetDomain is 100).
   *
   * Resources that depend on the domain (object types, recommenders, segments, and anything
   * that reads `domainName` or `domainArn`) are only created once the domain is ready. Turning
   * the wait off makes the deployment faster, but those resources may then be rejected by the
   * service until the data store has finished provisioning.
   *
   * @default true
   */
  readonly waitForReadiness?: boolean;

  /**
   * How long the deployment waits for the data store to become ready before it fails.
   *
   * CloudFormation waits at most one hour for a custom resource, so this must be between one
   * minute and 54 minutes.
   *
   * @default Duration.minutes(45)
   */
  readonly readinessTimeout?: Duration;
}

/**
 * Whether a domain has its data store enabled (the `DataStore` of CreateDomain / UpdateDomain).
 *
 * The data store is what domain object types, recommenders and SQL segment definitions are
 * built on. Enabling it takes several minutes, during which the service provisions storage; by
 * default the deployment waits until it is ready.
 *
 * @example
 * new Domain(this, 'Customers', { dataStore: DataStore.enabled() });
 */
export class DataStore {
  /** The default readiness timeout. */
  public static readonly DEFAULT_READINESS_TIMEOUT = Duration.minutes(45);

  /**
   * The data store is enabled; by default the deployment waits until it is ready.
   */
  public static enabled(options: DataStoreOptions = {}): DataStore {
    return new DataStore(true, options.waitForReadiness ?? true, options.readinessTimeout ?? DataStore.DEFAULT_READINESS_TIMEOUT);
  }

  /**
   * The data store is disabled (the service's default).
   *
   * Object types, recommenders and SQL segments cannot be added to such a domain.
   */
  public static disabled(): DataStore {
    return new DataStore(false, false, DataStore.DEFAULT_READINESS_TIMEOUT);
  }

  /** Whether the data store is enabled. */
  public readonly isEnabled: boolean;

  /** Whether the deployment waits until the data store is ready (always false when disabled). */
  public readonly waitForReadiness: boolean;

  /** How long the deployment may wait for the domain (readiness, deletion) before failing. */
  public readonly readinessTimeout: Duration;

  private constructor(isEnabled: boolean, waitForReadiness: boolean, readinessTimeout: Duration) {
    this.isEnabled = isEnabled;
    this.waitForReadiness = isEnabled && waitForReadiness;
    this.readinessTimeout = readinessTimeout;
  }
}
