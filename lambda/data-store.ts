import { GetDomainCommand } from '@aws-sdk/client-customer-profiles';
import { profilesClient } from './client';
import { HandlerError, isBadRequest } from './errors';

/**
 * The service refuses object types, recommenders and SQL segments (and their estimates) in a
 * domain without a data store, with a BadRequest that does not say so in words a user can act
 * on. The construct refuses this at synth for a domain of the same app; for an imported domain
 * the handler reads the domain to tell the cause.
 */

/** Whether the domain exists with its data store off. */
async function dataStoreDisabled(domainName: string): Promise<boolean> {
  try {
    const domain = await profilesClient().send(new GetDomainCommand({ DomainName: domainName }));
    return domain.DataStore?.Enabled !== true;
  } catch {
    // The original error says more than a failed diagnosis would.
    return false;
  }
}

/**
 * The refusal to throw instead of `err` when it is a BadRequest caused by a disabled data store;
 * undefined otherwise (the caller maps `err` as it would have).
 *
 * @param subject the resource, as it starts the sentence (e.g. `Recommender 'customers/for-you'`)
 */
export async function dataStoreRefusal(err: unknown, subject: string, domainName: string): Promise<HandlerError | undefined> {
  if (!isBadRequest(err) || !await dataStoreDisabled(domainName)) return undefined;
  return new HandlerError(`${subject} needs the data store of domain '${domainName}', which is not enabled: `
    + `enable the data store on domain ${domainName} (dataStore: DataStore.enabled()) and deploy again.`);
}
