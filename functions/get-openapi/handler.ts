import { json } from '#http/json';
import spec from '../../docs/openapi.json' with { type: 'json' };

/** The OpenAPI description of this API (docs/openapi.json, bundled into the function). */
export const handler = async () => json(200, spec, { 'cache-control': 'public, max-age=300' });
