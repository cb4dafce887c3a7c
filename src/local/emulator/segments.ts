import { Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, SegmentRecord } from './state';

export function registerSegmentOperations(_registry: OperationRegistry): void {
}

export function describeSegmentDefinition(_ctx: Context, s: SegmentRecord): Output {
  return { SegmentDefinitionName: s.name };
}
