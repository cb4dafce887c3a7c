import { badRequest } from './errors';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Offset-based pagination with opaque tokens, the way List* operations page their results. */
export function paginate<T>(all: T[], nextToken: string | undefined, maxResults: number | undefined, defaultMax = 100): Page<T> {
  let start = 0;
  if (nextToken !== undefined) {
    const m = /^o(\d+)$/.exec(Buffer.from(nextToken, 'base64url').toString('utf-8'));
    if (!m) throw badRequest('The NextToken is not valid');
    start = Number(m[1]);
  }
  const size = maxResults ?? defaultMax;
  const items = all.slice(start, start + size);
  const end = start + items.length;
  return {
    items,
    nextToken: end < all.length ? Buffer.from(`o${end}`, 'utf-8').toString('base64url') : undefined,
  };
}
