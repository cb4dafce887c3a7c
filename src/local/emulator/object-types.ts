import { Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, ObjectTypeRecord } from './state';

export function registerObjectTypeOperations(_registry: OperationRegistry): void {
}

export function describeObjectType(_ctx: Context, t: ObjectTypeRecord): Output {
  return { ObjectTypeName: t.name };
}
