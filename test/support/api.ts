import { inject } from 'vitest';
import { fileClaim, makeTestNumbers, memoryClaim } from './test-numbers';

/** A small client for the public HTTP API, as a user's code would call it. */
export function stack() {
  return inject('stack');
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const { apiUrl } = stack();
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined || options.rawBody !== undefined)
    headers['content-type'] = 'application/json';
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers,
    ...(options.rawBody !== undefined
      ? { body: options.rawBody }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** Polls `probe` until it returns a value that `done` accepts, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`Condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}

/** A fresh account with `credit` (decimal string) for one test: tests never share balances. */
export async function newAccount(credit = '10.0000', extra: Record<string, unknown> = {}) {
  const { operatorKey } = stack();
  const created = await call<{ id: string; apiKey: string; senderIds: string[] }>(
    'POST',
    '/v1/admin/accounts',
    {
      key: operatorKey,
      body: { name: `Test ${Math.random().toString(36).slice(2)}`, ...extra },
    },
  );
  if (created.status !== 201) throw new Error(`account creation failed: ${JSON.stringify(created.body)}`);
  if (credit !== '0') {
    const credited = await call('POST', `/v1/admin/accounts/${created.body.id}/credit`, {
      key: operatorKey,
      body: { amount: credit },
    });
    if (credited.status !== 200) throw new Error(`credit failed: ${JSON.stringify(credited.body)}`);
  }
  return created.body;
}

export interface SimMessage {
  carrierId: string;
  to: string;
  from: string;
  text: string;
  parts: number;
  encoding: string;
  receivedAt: string;
  reference: string;
}

export async function simMessages(): Promise<SimMessage[]> {
  const response = await fetch(`${stack().carrierUrl}/_sim/messages`);
  return (await response.json()) as SimMessage[];
}

let numbers: ReturnType<typeof makeTestNumbers> | undefined;

/** One allocator per process, claiming chunks in the run's directory (test/support/test-numbers.ts). */
function testNumbers() {
  if (!numbers) {
    const dir = inject('numberClaims');
    numbers = makeTestNumbers(dir ? fileClaim(dir) : memoryClaim());
  }
  return numbers;
}

/**
 * A Romanian mobile (+407…) ending in `suffix`, unique across the integration run; tests pick carrier
 * outcomes by the last two digits (00 undelivered, 98 expired, 99 rejected, anything else delivered:
 * default 11).
 */
export function mobile(suffix = '11'): string {
  return testNumbers().mobile(suffix);
}

/**
 * `count` distinct mobiles ending in `suffix` (see `mobile`); up to 1 000 of them share their first five
 * national digits (07dXX).
 */
export function mobiles(count: number, suffix = '11'): string[] {
  return testNumbers().mobiles(count, suffix);
}

/** The national form (07…) of an E.164 Romanian number (+407…), as spreadsheets usually hold it. */
export function national(e164: string): string {
  return `0${e164.slice(3)}`;
}

/** A numeric short code (a sender id) unique across the run, so reply routes are never shared. */
export function shortCode(): string {
  return testNumbers().shortCode();
}
