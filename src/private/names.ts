import { createHash } from 'crypto';
import { Names, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A unique, valid default name for a resource, derived from the construct path (stable across
 * synths, unique within the account and region as long as stack names are).
 *
 * `allowedSpecialCharacters` and `maxLength` come from the service model's pattern for the name.
 * Names that must start with a letter or underscore (object types) are prefixed when the
 * generated name would start with a digit.
 */
export function generateName(
  scope: IConstruct,
  options: { maxLength: number; allowedSpecialCharacters: string; mustStartWithLetter?: boolean },
): string {
  let name = Names.uniqueResourceName(scope, {
    maxLength: options.maxLength,
    separator: '-',
    allowedSpecialCharacters: options.allowedSpecialCharacters,
  });
  if (options.mustStartWithLetter && !/^[a-zA-Z_]/.test(name)) {
    name = `_${name}`.slice(0, options.maxLength);
  }
  return name;
}

/** Length of the content hash `generateContentName` appends. */
export const CONTENT_HASH_LENGTH = 8;

/**
 * `generateName`, ending with `-` and a hash of `content`: what cannot change in place. A change
 * of it gives a new name, so the resource is replaced (created under the new name, the old one
 * deleted by CloudFormation in the cleanup) instead of colliding with itself. Tokens are hashed
 * in their resolved form, which is stable between synths.
 */
export function generateContentName(
  scope: IConstruct,
  content: Record<string, unknown>,
  options: { maxLength: number; allowedSpecialCharacters: string },
): string {
  const resolved = JSON.stringify(Stack.of(scope).resolve(content));
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, CONTENT_HASH_LENGTH);
  return `${generateName(scope, { ...options, maxLength: options.maxLength - CONTENT_HASH_LENGTH - 1 })}-${hash}`;
}
