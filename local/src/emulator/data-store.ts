import { dataStoreEnabled } from './domain';
import { badRequest } from './errors';
import { DomainRecord } from './state';

/**
 * Refuses, as the service does, what needs the domain's data store when it is not enabled:
 * object types, recommenders, SQL segments and their estimates ("must be enabled to use those
 * features"; REFERENCE §8). Readiness does not matter, only `DataStore.Enabled`.
 *
 * @param what what cannot be done without it, e.g. 'recommenders can be created'
 */
export function requireDataStore(domain: DomainRecord, what: string): void {
  if (!dataStoreEnabled(domain)) {
    throw badRequest(`Domain ${domain.name} does not have its data store enabled: the data store must be enabled (DataStore.Enabled) before ${what}`);
  }
}
