import { describe, expect, it } from 'vitest';
import { LIST_QUERIES } from '#http/list-queries';
import { call, newAccount, stack } from '../support/api';

/**
 * Every paged listing through the API: `cursor=` and `limit=` sent empty (as clients do on a first page)
 * answer the first page, a malformed cursor 400. The schemas are unit-tested route by route
 * (test/unit/http/list-queries.test.ts); this shows each handler parses with its registry entry.
 */
describe('paged listings take an empty cursor as none', () => {
  it('every listing answers 200 to cursor=&limit= and 400 VALIDATION_FAILED to a malformed cursor', async () => {
    // Arrange: an account with a contact group for the group routes; batch rows need a batch (unit-tested).
    const account = await newAccount('1.0000', { requestsPerSecond: 1000 });
    const group = await call<{ id: string }>('POST', '/v1/contact-groups', {
      key: account.apiKey,
      body: { name: 'Paginare' },
    });
    expect(group.status).toBe(201);
    const routes = Object.keys(LIST_QUERIES).filter((route) => !route.includes('/batches/{id}'));
    const target = (route: string) => {
      const path = route.slice('GET '.length).replace('{id}', group.body.id);
      return { path, key: path.startsWith('/v1/admin/') ? stack().operatorKey : account.apiKey };
    };

    // Act
    const answers = await Promise.all(
      routes.map(async (route) => {
        const { path, key } = target(route);
        const empty = await call<{ items?: unknown[] }>('GET', `${path}?cursor=&limit=`, { key });
        const garbage = await call<{ error?: { code: string } }>(
          'GET',
          `${path}?cursor=${encodeURIComponent('not a cursor!')}`,
          { key },
        );
        return [
          route,
          empty.status,
          Array.isArray(empty.body.items),
          garbage.status,
          garbage.body.error?.code,
        ];
      }),
    );

    // Assert
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(answers).toEqual(routes.map((route) => [route, 200, true, 400, 'VALIDATION_FAILED']));
  });
});
