import { Emulator } from '../../../local/src/emulator';
import { OWNER_TAG_KEY, ResourceTypes } from '../../../src/private/contract';
import { CLEANUP_ACTIONS } from '../../../src/private/provider';
import { stopEmulator } from '../../helpers/handler-emulator';
import { deleteEvent, deploy, createEvent } from '../../helpers/handler-events';
import { recommenderConfig, RECOMMENDER, startWithDomain } from '../../helpers/handler-recommender';

/**
 * In CloudFormation's cleanup phase a removed resource may be covered by one grant only: the
 * provider's statement conditioned on this stack's owner tag (aws:ResourceTag). Once the handler's
 * own delete went through and the resource is gone, it has no tags, so IAM answers the wait's read
 * with AccessDenied instead of the service's "not found". The wait must read that as gone.
 */

/** The provider's cleanup statement, as deployed for the handler tests' stack (HandlerTest/<guid>). */
function cleanupPolicyOnly(emu: Emulator): void {
  emu.setIdentityPolicies([{
    Statement: [{
      Effect: 'Allow',
      Action: [...CLEANUP_ACTIONS],
      Resource: 'arn:aws:profile:us-east-1:123456789012:domains/*',
      Condition: { StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: 'HandlerTest/0c9f7e60-0000-0000-0000-000000000000/*' } },
    }],
  }]);
}

describe('the wait after the handler\'s own delete, under the owner-tag condition only', () => {
  let emu: Emulator;
  beforeEach(async () => {
    emu = await startWithDomain();
  });
  afterEach(async () => {
    await stopEmulator(emu);
  });

  test('a recommender: the read denied once it is gone completes the delete', async () => {
    const config = recommenderConfig({ WaitForActive: false });
    await deploy(emu, createEvent(RECOMMENDER, config));
    cleanupPolicyOnly(emu);
    emu.resetRequests();

    const result = await deploy(emu, deleteEvent(RECOMMENDER, 'customers/for-you', config));

    expect(result.final.IsComplete).toBe(true);
    expect(emu.state.recommender('customers', 'for-you')).toBeUndefined();
    const calls = emu.requests.map((r) => `${r.operation} ${r.status}`);
    expect(calls).toContain('DeleteRecommender 200');
    // The last read came after the recommender (and its tags) were gone: denied, and read as gone.
    expect(calls[calls.length - 1]).toBe('GetRecommender 403');
  });

  test('a domain: the read denied once it is gone completes the delete', async () => {
    const config = { DomainName: 'customers', DefaultExpirationDays: 30, DataStore: { Enabled: true }, WaitForDataStore: false, TimeoutSeconds: 60 };
    // startWithDomain created 'customers' through the handler, so it carries this stack's marker.
    cleanupPolicyOnly(emu);
    emu.resetRequests();

    const result = await deploy(emu, deleteEvent(ResourceTypes.DOMAIN, 'customers', config));

    expect(result.final.IsComplete).toBe(true);
    expect(emu.state.domain('customers')).toBeUndefined();
    const calls = emu.requests.map((r) => `${r.operation} ${r.status}`);
    expect(calls).toEqual(expect.arrayContaining(['GetDomain 200', 'DeleteDomain 200', 'GetDomain 403']));
  });
});
