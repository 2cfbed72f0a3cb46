import type { CarrierGateway, CarrierSubmission, NumberLookup, SubmitResult } from '#ports/carrier-gateway';

/**
 * The carrier could not be reached or did not give a usable answer (network error, timeout, 5xx, lost
 * response, refused credentials). Transient from the message's point of view: the caller retries, and
 * since the simulator is idempotent on `reference`, a retry never sends a second SMS.
 * The class name is part of the retry contract (Step Functions / SQS): keep it stable.
 */
export class CarrierUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CarrierUnavailable';
  }
}

export interface CarrierSimGatewayOptions {
  /** Base URL of the simulator's HTTP API, e.g. `http://127.0.0.1:4010`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Abort a submission after this long (then throw `CarrierUnavailable`). @default 5000 */
  readonly timeoutMs?: number;
  /** Injected for tests. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * `CarrierGateway` over the carrier simulator's `POST /sms`. 200 → accepted (one id per part, exactly
 * as given), 422 → rejected (reason from the body), 400 → rejected (the carrier refuses this message as
 * sent; retrying would not help), 429 → throttled (Retry-After), anything else → `CarrierUnavailable`.
 */
export function makeCarrierSimGateway(options: CarrierSimGatewayOptions): CarrierGateway {
  const { apiKey, timeoutMs = 5000 } = options;
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = new URL('sms', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);

  async function submit(submission: CarrierSubmission): Promise<SubmitResult> {
    const body = JSON.stringify({
      reference: submission.reference,
      to: submission.to,
      from: submission.from,
      text: submission.text,
      ...(submission.validitySeconds === undefined ? {} : { validitySeconds: submission.validitySeconds }),
    });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw new CarrierUnavailable(`carrier-sim unreachable: ${describe(cause)}`, { cause });
    }
    switch (response.status) {
      case 200:
        return { outcome: 'accepted', carrierIds: carrierIdsFrom(text) };
      case 400:
      case 422:
        return { outcome: 'rejected', reason: errorFrom(text) ?? `carrier answered ${response.status}` };
      case 429:
        return {
          outcome: 'throttled',
          retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
        };
      default:
        throw new CarrierUnavailable(`carrier-sim answered ${response.status}: ${text.slice(0, 200)}`);
    }
  }

  /** `GET /lookup?number=`: the simulator's HLR/MNP answer (transient faults throw, as for `submit`). */
  async function lookup(number: string): Promise<NumberLookup> {
    const target = new URL('lookup', url);
    target.searchParams.set('number', number);
    let response: Response;
    try {
      response = await doFetch(target, {
        headers: { authorization: `Bearer ${apiKey}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new CarrierUnavailable(`carrier-sim unreachable: ${describe(cause)}`, { cause });
    }
    const body = tryJson(await response.text()) as Partial<NumberLookup> | undefined;
    if (response.status !== 200 || !body || typeof body.status !== 'string') {
      throw new CarrierUnavailable(`carrier-sim lookup answered ${response.status}`);
    }
    return {
      number,
      status: body.status === 'active' || body.status === 'absent' ? body.status : 'unknown',
      ported: body.ported === true,
      ...(typeof body.network === 'string' ? { network: body.network } : {}),
      ...(typeof body.originalNetwork === 'string' ? { originalNetwork: body.originalNetwork } : {}),
    };
  }

  return { name: 'sim', idempotentReferences: true, submit, lookup };
}

/** A 200 whose ids we cannot read is a lost answer: retrying (same reference) gets them again. */
function carrierIdsFrom(text: string): string[] {
  const ids = (tryJson(text) as { carrierIds?: unknown } | undefined)?.carrierIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
    throw new CarrierUnavailable(`carrier-sim accepted without usable carrierIds: ${text.slice(0, 200)}`);
  }
  return ids;
}

function errorFrom(text: string): string | undefined {
  const error = (tryJson(text) as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' && error !== '' ? error : undefined;
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110); at least 1 s, 1 s when unreadable. */
function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header === null) return 1;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? 1 : Math.max(1, Math.ceil((date - now) / 1000));
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
