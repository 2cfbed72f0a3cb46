import { describe, expect, it } from 'vitest';
import { encodeCursor } from '#adapters/dynamodb/cursor';
import { ValidationFailed } from '#domain/errors';
import { statusOf } from '#http/errors';
import { LIST_QUERIES } from '#http/list-queries';
import { customerPage, parseQuery } from '#http/route-helpers';
import { ROUTES } from '#topology/routes';
import openapi from '../../../docs/openapi.json' with { type: 'json' };

interface Operation {
  parameters?: { name: string; in: string }[];
}

/** Route keys whose OpenAPI operation takes a `cursor` query parameter: the paged listings. */
const documentedListings = Object.entries(openapi.paths as Record<string, Record<string, Operation>>)
  .flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, op]) => op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  )
  .sort();

const listings = Object.entries(LIST_QUERIES);
const query = (queryStringParameters: Record<string, string>) => ({ queryStringParameters });

/** A cursor the route's own listing could have answered. */
const goodCursor = (route: string) =>
  route.endsWith('/import-rows')
    ? '3.140'
    : route.endsWith('/rows')
      ? '2:7'
      : encodeCursor({ pk: 'ACCOUNT#a' });

const GARBAGE_CURSORS = ['not a cursor!', '%%%', '{"pk":"ACCOUNT#a"}', ' ', 'x'.repeat(2001), 'abc/def=='];

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error instanceof ValidationFailed ? statusOf(error) : error;
  }
  return 'accepted';
}

describe('paged listings: limit and cursor', () => {
  it('the registry holds exactly the routes documented with a cursor, each a declared route', () => {
    expect(Object.keys(LIST_QUERIES).sort()).toEqual(documentedListings);
    const declared = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(LIST_QUERIES).filter((key) => !declared.has(key))).toEqual([]);
    expect(listings.length).toBeGreaterThanOrEqual(16);
  });

  it.each(listings)('%s: an empty cursor or limit is the same as none', (_, schema) => {
    const none = parseQuery(query({}), schema);
    const empties: Record<string, string>[] = [{ cursor: '' }, { limit: '' }, { cursor: '', limit: '' }];
    for (const empty of empties) {
      const parsed = parseQuery(query(empty), schema) as Record<string, unknown>;
      expect(parsed).toEqual(none);
      expect(parsed.cursor).toBeUndefined();
    }
    expect((none as { limit: number }).limit).toBeGreaterThan(0);
  });

  it.each(listings)('%s: a cursor it answered is taken as it is, with a limit', (route, schema) => {
    const parsed = parseQuery(query({ cursor: goodCursor(route), limit: '7' }), schema);
    expect(parsed).toMatchObject({ cursor: goodCursor(route), limit: 7 });
  });

  it.each(listings)('%s: a malformed cursor or limit is still 400', (_, schema) => {
    for (const cursor of GARBAGE_CURSORS) {
      expect([cursor, refusal(() => parseQuery(query({ cursor }), schema))]).toEqual([cursor, 400]);
    }
    for (const limit of ['0', '-1', '1.5', 'ten', '100000']) {
      expect([limit, refusal(() => parseQuery(query({ limit }), schema))]).toEqual([limit, 400]);
    }
  });

  it('customerPage() drops an empty cursor and limit, and refuses a malformed one with 400', () => {
    expect(customerPage({ cursor: '', limit: '' })).toEqual({ limit: 50 });
    expect(customerPage(undefined)).toEqual({ limit: 50 });
    expect(customerPage({ cursor: '2:7', limit: '10' })).toEqual({ cursor: '2:7', limit: 10 });
    expect(refusal(() => customerPage({ cursor: 'not a cursor!' }))).toBe(400);
    expect(refusal(() => customerPage({ limit: '101' }))).toBe(400);
  });
});
