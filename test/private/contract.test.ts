import { ownerMarker, parseOwnerMarker, parseStackId } from '../../src/private/contract';

const STACK = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/CustomerData/6f1c2a40-1111-2222-3333-444455556666';

describe('the owner marker', () => {
  test('is <stack name>/<stack GUID>/<logical id>, and parses back', () => {
    const marker = ownerMarker(STACK, 'Customers6955EA0A');
    expect(marker).toBe('CustomerData/6f1c2a40-1111-2222-3333-444455556666/Customers6955EA0A');
    expect(parseOwnerMarker(marker)).toEqual({ stackName: 'CustomerData', stackGuid: '6f1c2a40-1111-2222-3333-444455556666', logicalId: 'Customers6955EA0A' });
    expect(parseStackId(STACK)).toEqual({ stackName: 'CustomerData', stackGuid: '6f1c2a40-1111-2222-3333-444455556666' });
  });

  test('fits the service\'s 256-character tag value with the longest stack name and logical id, and stays unique and stable', () => {
    const longStack = `arn:aws:cloudformation:eu-west-1:111122223333:stack/${'S'.repeat(128)}/6f1c2a40-1111-2222-3333-444455556666`;
    const a = ownerMarker(longStack, `${'L'.repeat(254)}A`);
    const b = ownerMarker(longStack, `${'L'.repeat(254)}B`);
    expect(a.length).toBeLessThanOrEqual(256);
    expect(b.length).toBeLessThanOrEqual(256);
    expect(a).not.toBe(b);
    expect(ownerMarker(longStack, `${'L'.repeat(254)}A`)).toBe(a);
    // The prefix the provider's IAM condition matches is kept whole.
    expect(a.startsWith(`${'S'.repeat(128)}/6f1c2a40-1111-2222-3333-444455556666/`)).toBe(true);
  });

  test('another incarnation of a stack of the same name has another marker', () => {
    const again = STACK.replace('6f1c2a40', '0a0b0c0d');
    expect(ownerMarker(again, 'Customers6955EA0A')).not.toBe(ownerMarker(STACK, 'Customers6955EA0A'));
  });
});
