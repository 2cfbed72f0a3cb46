import { signWebhook } from '#adapters/carrier-sim/webhook-signature';

/** One webhook the simulator posted (or tried to), as `GET /_sim/dlrs` and `GET /_sim/mos` show it. */
export interface WebhookAttemptLog {
  /** POSTs made so far. */
  attempts: number;
  /** The platform's last HTTP status; null before the first answer or after a network error. */
  status: number | null;
  /** Last network error, or why nothing was posted. */
  error?: string;
  lastAttemptAt?: string;
  /** True once the platform answered 2xx. */
  delivered: boolean;
}

export interface WebhookSenderOptions {
  readonly secret: string;
  /** First retry delay; doubles each time (0.5 s, 1 s, 2 s, 4 s). */
  readonly retryBaseMs: number;
  /** POSTs per webhook, the first included. */
  readonly maxAttempts: number;
  /** Per-POST timeout. */
  readonly timeoutMs: number;
}

/**
 * Posts signed webhooks like a carrier: re-signed with a fresh timestamp on every attempt, retried with
 * exponential backoff on a non-2xx answer or a network error. Owns every timer and in-flight request,
 * so `close()` stops all pending work at once.
 */
export function makeWebhookSender(options: WebhookSenderOptions) {
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  let closed = false;

  function later(delayMs: number, run: () => void): void {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, delayMs);
    timers.add(timer);
  }

  async function attempt(url: string, rawBody: string, logs: readonly WebhookAttemptLog[]): Promise<void> {
    // One POST may carry several webhooks (batched DLRs): every one of their logs records it.
    const log: WebhookAttemptLog = logs[0] ?? { attempts: 0, status: null, delivered: false };
    const timestamp = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(new Error('webhook timeout')), options.timeoutMs);
    inFlight.add(controller);
    log.attempts += 1;
    log.lastAttemptAt = new Date().toISOString();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-sim-timestamp': String(timestamp),
          'x-sim-signature': signWebhook(options.secret, timestamp, rawBody),
        },
        body: rawBody,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      log.status = response.status;
      delete log.error;
      log.delivered = response.ok;
    } catch (error) {
      log.status = null;
      log.error = error instanceof Error ? `${error.message}${causeOf(error)}` : String(error);
    } finally {
      clearTimeout(timeout);
      inFlight.delete(controller);
    }
    for (const other of logs.slice(1)) {
      other.attempts = log.attempts;
      other.status = log.status;
      other.delivered = log.delivered;
      if (log.lastAttemptAt !== undefined) other.lastAttemptAt = log.lastAttemptAt;
      if (log.error === undefined) delete other.error;
      else other.error = log.error;
    }
    if (!log.delivered && log.attempts < options.maxAttempts) {
      later(options.retryBaseMs * 2 ** (log.attempts - 1), () => void attempt(url, rawBody, logs));
    }
  }

  return {
    /** Runs `run` after `delayMs` unless the sender is closed first. */
    later,
    /**
     * Starts posting `body` to `url` now; `log` (one per webhook the body carries) is updated in place
     * as attempts complete.
     */
    post(
      url: string | undefined,
      body: unknown,
      log: WebhookAttemptLog | readonly WebhookAttemptLog[],
    ): void {
      if (closed) return;
      const logs = Array.isArray(log) ? log : [log as WebhookAttemptLog];
      if (url === undefined) {
        for (const l of logs) l.error = 'no webhook URL configured';
        return;
      }
      void attempt(url, JSON.stringify(body), logs);
    },
    /** Cancels pending deliveries and retries, and aborts requests in flight. */
    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of inFlight) controller.abort(new Error('simulator closing'));
      inFlight.clear();
    },
  };
}

function causeOf(error: Error): string {
  return error.cause instanceof Error ? ` (${error.cause.message})` : '';
}
