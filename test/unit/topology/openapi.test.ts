import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '#topology/functions';
import { ROUTES } from '#topology/routes';
import spec from '../../../docs/openapi.json' with { type: 'json' };

describe('the OpenAPI document and the route table agree', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('documents %s', (_, route) => {
    const paths = spec.paths as Record<string, Record<string, unknown>>;
    expect(paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
  });

  it('documents no route that does not exist', () => {
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('every route is served by a declared function', () => {
    for (const route of ROUTES) expect(FUNCTIONS[route.function]).toBeDefined();
  });
});
