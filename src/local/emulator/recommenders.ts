import { Output } from './protocol';
import { OperationRegistry } from './registry';
import { Context, RecommenderRecord } from './state';

export function registerRecommenderOperations(_registry: OperationRegistry): void {
}

export function describeRecommender(_ctx: Context, r: RecommenderRecord): Output {
  return { RecommenderName: r.name };
}
