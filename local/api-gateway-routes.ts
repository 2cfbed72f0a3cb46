import { type RouteSpec, routeKey } from '#topology/routes';

/** Route matching of the local HTTP API, as API Gateway picks a route (see api-gateway.ts). */

type Segment = { kind: 0; literal: string } | { kind: 1; name: string } | { kind: 2; name: string };
export interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly key: string;
  readonly segments: readonly Segment[];
}
interface Match {
  readonly route: CompiledRoute;
  readonly params: Record<string, string>;
}

export function compile(spec: RouteSpec): CompiledRoute {
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([^}]+?)(\+)?\}$/.exec(part);
      if (!param?.[1]) return { kind: 0, literal: part };
      return { kind: param[2] ? 2 : 1, name: param[1] };
    });
  return { spec, key: routeKey(spec), segments };
}

/** Most specific wins: at the first differing segment, literal beats `{param}` beats `{proxy+}`. */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  rawPath: string,
): Match | undefined {
  const parts = rawPath.split('/').slice(1).map(decode);
  const matches = routes
    .filter((r) => r.spec.method === method)
    .map((route) => ({ route, params: matchSegments(route.segments, parts) }))
    .filter((m): m is Match => m.params !== undefined);
  matches.sort((a, b) => compareSpecificity(a.route.segments, b.route.segments));
  return matches[0];
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (segment.kind === 2) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    if (part === undefined) return undefined;
    if (segment.kind === 0 && segment.literal !== part) return undefined;
    if (segment.kind === 1) {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return segments.length === parts.length ? params : undefined;
}

function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i]?.kind ?? 0) - (b[i]?.kind ?? 0);
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
