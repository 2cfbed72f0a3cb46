import type { FunctionName } from './functions';

/**
 * How a route is authenticated.
 * - `apiKey`: the handler's auth middleware checks `Authorization: Bearer <api key>` against the table
 *   (not an API Gateway authoriser: HTTP API authorisers answer 403 `{message:"Forbidden"}`, where the
 *   contract wants 401 with our error shape, and their result cache would delay key revocation).
 * - `operator`: IAM authorisation when deployed; locally the API adapter checks the operator key.
 * - `webhook`: public at the gateway; the handler verifies the carrier's HMAC signature.
 * - `public`: no authentication at the gateway (the OpenAPI document); `/json` authenticates itself with
 *   the upstream's `username` + `password` parameters.
 */
export type RouteAuth = 'apiKey' | 'operator' | 'webhook' | 'public';

export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway HTTP API path syntax: `/v1/messages/{id}`. */
  readonly path: string;
  readonly function: FunctionName;
  readonly auth: RouteAuth;
}

/** Every HTTP route, declared once for the CDK HttpApi, the local API adapter and the tests. */
export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/messages', function: 'send-message', auth: 'apiKey' },
  { method: 'POST', path: '/v1/messages/preview', function: 'preview-message', auth: 'apiKey' },
  { method: 'GET', path: '/v1/messages/{id}', function: 'get-message', auth: 'apiKey' },
  { method: 'GET', path: '/v1/account', function: 'get-account', auth: 'apiKey' },
  { method: 'POST', path: '/v1/admin/accounts', function: 'admin-create-account', auth: 'operator' },
  { method: 'POST', path: '/v1/admin/accounts/{id}/credit', function: 'admin-add-credit', auth: 'operator' },
  { method: 'GET', path: '/v1/account/ledger', function: 'account-settings', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/account/password', function: 'account-settings', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/account/billing', function: 'account-settings', auth: 'apiKey' },
  { method: 'POST', path: '/v1/subusers', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'GET', path: '/v1/subusers', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'GET', path: '/v1/subusers/{id}', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'PATCH', path: '/v1/subusers/{id}', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'POST', path: '/v1/subusers/{id}/suspend', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'POST', path: '/v1/subusers/{id}/reactivate', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'POST', path: '/v1/subusers/{id}/credit-transfers', function: 'manage-subusers', auth: 'apiKey' },
  { method: 'POST', path: '/v1/api-keys', function: 'manage-api-keys', auth: 'apiKey' },
  { method: 'GET', path: '/v1/api-keys', function: 'manage-api-keys', auth: 'apiKey' },
  { method: 'DELETE', path: '/v1/api-keys/{keyId}', function: 'manage-api-keys', auth: 'apiKey' },
  { method: 'POST', path: '/v1/sender-ids', function: 'manage-sender-ids', auth: 'apiKey' },
  { method: 'GET', path: '/v1/sender-ids', function: 'manage-sender-ids', auth: 'apiKey' },
  { method: 'GET', path: '/v1/prices', function: 'get-prices', auth: 'apiKey' },
  { method: 'GET', path: '/v1/admin/accounts/{id}', function: 'admin-accounts', auth: 'operator' },
  { method: 'POST', path: '/v1/admin/accounts/{id}/suspend', function: 'admin-accounts', auth: 'operator' },
  {
    method: 'POST',
    path: '/v1/admin/accounts/{id}/reactivate',
    function: 'admin-accounts',
    auth: 'operator',
  },
  { method: 'GET', path: '/v1/admin/price-lists', function: 'admin-pricing', auth: 'operator' },
  { method: 'GET', path: '/v1/admin/price-lists/{id}', function: 'admin-pricing', auth: 'operator' },
  { method: 'PUT', path: '/v1/admin/price-lists/{id}', function: 'admin-pricing', auth: 'operator' },
  { method: 'PUT', path: '/v1/admin/accounts/{id}/price-list', function: 'admin-pricing', auth: 'operator' },
  { method: 'GET', path: '/v1/admin/sender-id-requests', function: 'admin-sender-ids', auth: 'operator' },
  {
    method: 'POST',
    path: '/v1/admin/sender-id-requests/{id}/approve',
    function: 'admin-sender-ids',
    auth: 'operator',
  },
  {
    method: 'POST',
    path: '/v1/admin/sender-id-requests/{id}/reject',
    function: 'admin-sender-ids',
    auth: 'operator',
  },
  { method: 'GET', path: '/v1/admin/blocklist', function: 'admin-blocklist', auth: 'operator' },
  { method: 'PUT', path: '/v1/admin/blocklist/{number}', function: 'admin-blocklist', auth: 'operator' },
  { method: 'DELETE', path: '/v1/admin/blocklist/{number}', function: 'admin-blocklist', auth: 'operator' },
  { method: 'POST', path: '/v1/uploads', function: 'manage-uploads', auth: 'apiKey' },
  { method: 'GET', path: '/v1/uploads/{id}/preview', function: 'manage-uploads', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches', function: 'manage-batches', auth: 'apiKey' },
  { method: 'GET', path: '/v1/batches', function: 'manage-batches', auth: 'apiKey' },
  { method: 'GET', path: '/v1/batches/{id}', function: 'manage-batches', auth: 'apiKey' },
  { method: 'GET', path: '/v1/batches/{id}/rows', function: 'manage-batches', auth: 'apiKey' },
  { method: 'GET', path: '/v1/batches/{id}/results', function: 'export-batch-results', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/start', function: 'manage-batches', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/cancel', function: 'manage-batches', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/stop', function: 'manage-batches', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/pause', function: 'manage-batches', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/resume', function: 'manage-batches', auth: 'apiKey' },
  {
    method: 'POST',
    path: '/v1/webhooks/carrier/{carrier}/dlr',
    function: 'receive-delivery-report',
    auth: 'webhook',
  },
  { method: 'GET', path: '/openapi.json', function: 'get-openapi', auth: 'public' },
  { method: 'POST', path: '/v1/recurring-campaigns', function: 'manage-recurring-campaigns', auth: 'apiKey' },
  { method: 'GET', path: '/v1/recurring-campaigns', function: 'manage-recurring-campaigns', auth: 'apiKey' },
  {
    method: 'GET',
    path: '/v1/recurring-campaigns/{id}',
    function: 'manage-recurring-campaigns',
    auth: 'apiKey',
  },
  {
    method: 'PATCH',
    path: '/v1/recurring-campaigns/{id}',
    function: 'manage-recurring-campaigns',
    auth: 'apiKey',
  },
  {
    method: 'DELETE',
    path: '/v1/recurring-campaigns/{id}',
    function: 'manage-recurring-campaigns',
    auth: 'apiKey',
  },
  { method: 'POST', path: '/v1/templates', function: 'manage-templates', auth: 'apiKey' },
  { method: 'GET', path: '/v1/templates', function: 'manage-templates', auth: 'apiKey' },
  { method: 'GET', path: '/v1/templates/{id}', function: 'manage-templates', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/templates/{id}', function: 'manage-templates', auth: 'apiKey' },
  { method: 'DELETE', path: '/v1/templates/{id}', function: 'manage-templates', auth: 'apiKey' },
  { method: 'GET', path: '/v1/blocklist', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'POST', path: '/v1/blocklist', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'GET', path: '/v1/blocklist/{number}', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'DELETE', path: '/v1/blocklist/{number}', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'POST', path: '/v1/blocklist/imports', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'GET', path: '/v1/blocklist/imports/{id}', function: 'manage-blocklist', auth: 'apiKey' },
  { method: 'GET', path: '/json', function: 'sendsms-json', auth: 'public' },
  { method: 'POST', path: '/json', function: 'sendsms-json', auth: 'public' },
  { method: 'GET', path: '/l/{code}', function: 'public-links', auth: 'public' },
  { method: 'GET', path: '/u/{code}', function: 'public-links', auth: 'public' },
  { method: 'POST', path: '/u/{code}', function: 'public-links', auth: 'public' },
  { method: 'GET', path: '/v1/links', function: 'list-links', auth: 'apiKey' },
  { method: 'GET', path: '/v1/reports/messages', function: 'reports', auth: 'apiKey' },
  { method: 'GET', path: '/v1/reports/messages/latest', function: 'reports', auth: 'apiKey' },
  { method: 'GET', path: '/v1/reports/campaigns/{id}', function: 'reports', auth: 'apiKey' },
  { method: 'GET', path: '/v1/reports/destinations', function: 'reports', auth: 'apiKey' },
  {
    method: 'POST',
    path: '/v1/webhooks/carrier/{carrier}/mo',
    function: 'receive-inbound-message',
    auth: 'webhook',
  },
  { method: 'GET', path: '/v1/inbound', function: 'manage-inbound', auth: 'apiKey' },
  { method: 'GET', path: '/v1/account/callbacks', function: 'manage-inbound', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/account/callbacks', function: 'manage-inbound', auth: 'apiKey' },
  { method: 'GET', path: '/v1/account/opt-out', function: 'manage-inbound', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/account/opt-out', function: 'manage-inbound', auth: 'apiKey' },
  { method: 'GET', path: '/v1/admin/numbers', function: 'admin-numbers', auth: 'operator' },
  { method: 'PUT', path: '/v1/admin/numbers/{number}', function: 'admin-numbers', auth: 'operator' },
  { method: 'DELETE', path: '/v1/admin/numbers/{number}', function: 'admin-numbers', auth: 'operator' },
  { method: 'GET', path: '/v1/admin/inbound/unmatched', function: 'admin-numbers', auth: 'operator' },
  { method: 'POST', path: '/v1/contact-groups', function: 'manage-contact-groups', auth: 'apiKey' },
  { method: 'GET', path: '/v1/contact-groups', function: 'manage-contact-groups', auth: 'apiKey' },
  { method: 'GET', path: '/v1/contact-groups/{id}', function: 'manage-contact-groups', auth: 'apiKey' },
  { method: 'PATCH', path: '/v1/contact-groups/{id}', function: 'manage-contact-groups', auth: 'apiKey' },
  { method: 'DELETE', path: '/v1/contact-groups/{id}', function: 'manage-contact-groups', auth: 'apiKey' },
  {
    method: 'GET',
    path: '/v1/contact-groups/{id}/import-rows',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  {
    method: 'POST',
    path: '/v1/contact-groups/{id}/contacts',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  {
    method: 'GET',
    path: '/v1/contact-groups/{id}/contacts',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  {
    method: 'GET',
    path: '/v1/contact-groups/{id}/contacts/{phone}',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  {
    method: 'PATCH',
    path: '/v1/contact-groups/{id}/contacts/{phone}',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  {
    method: 'DELETE',
    path: '/v1/contact-groups/{id}/contacts/{phone}',
    function: 'manage-contact-groups',
    auth: 'apiKey',
  },
  { method: 'PUT', path: '/v1/account/phone', function: 'account-phone', auth: 'apiKey' },
  { method: 'POST', path: '/v1/account/phone/verify', function: 'account-phone', auth: 'apiKey' },
  { method: 'POST', path: '/v1/batches/{id}/exports', function: 'export-batch-results', auth: 'apiKey' },
  {
    method: 'GET',
    path: '/v1/batches/{id}/exports/{exportId}',
    function: 'export-batch-results',
    auth: 'apiKey',
  },
];

export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
