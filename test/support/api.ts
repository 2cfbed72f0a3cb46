import { inject } from 'vitest';

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

/**
 * A random Romanian mobile number (+40 72x xxx xxx) ending in `suffix`; tests pick carrier outcomes by
 * the last two digits (00 undelivered, 98 expired, 99 rejected, anything else delivered: default 11).
 */
export function mobile(suffix = '11'): string {
  const random = String(Math.floor(Math.random() * 10 ** 7)).padStart(7, '0');
  return `+4072${random.slice(0, 7 - suffix.length)}${suffix}`;
}
