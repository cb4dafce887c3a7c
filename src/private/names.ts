import { Names } from 'aws-cdk-lib';
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
