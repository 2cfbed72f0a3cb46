import { randomUUID } from 'node:crypto';
import type { FunctionName } from '#topology/functions';
import type { LambdaInvoker } from './step-functions-engine';

/** The Task handlers of the local Step Functions: a Lambda invoke and a (scaled) Wait. */

/** Largest timeout a Node timer can hold, in seconds (2^31-1 ms), rounded down. */
export const MAX_TIMER_SECONDS = 2_000_000;
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export async function lambdaTask(
  invoke: LambdaInvoker,
  fn: FunctionName,
  params: unknown,
  wrapped: boolean,
  signal: AbortSignal,
): Promise<unknown> {
  if (signal.aborted) throw terminal('States.Aborted', 'The execution was stopped');
  // lambda:invoke gets { FunctionName, Payload } and returns the Invoke response; a function ARN, the payload.
  const payload = wrapped ? ((params as { Payload?: unknown }).Payload ?? {}) : params;
  let result: unknown;
  try {
    result = await invoke(fn, JSON.parse(JSON.stringify(payload)));
  } catch (error) {
    throw taskError(error);
  }
  const json = JSON.stringify(result ?? null);
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES)
    throw terminal('States.DataLimitExceeded', `The result of ${fn} exceeds the 262144-byte quota`);
  const value = JSON.parse(json);
  if (!wrapped) return value;
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: value,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/**
 * As Lambda reports a function error to Step Functions: the error name is the `errorType` (Retry/Catch
 * match on it), the cause is the JSON `{ errorType, errorMessage, trace }`.
 */
export function taskError(error: unknown): never {
  const isError = error instanceof Error;
  const errorType = isError ? error.name : typeof error;
  const cause = JSON.stringify({
    errorType,
    errorMessage: isError ? error.message : String(error),
    trace: isError ? (error.stack?.split('\n') ?? []) : [],
  });
  const failure = new Error(cause);
  failure.name = errorType;
  throw failure;
}

/** An error Retry and Catch cannot handle (the interpreter reads these two flags). */
function terminal(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { isRetryable: false, isCatchable: false });
}

export async function waitTask(params: unknown, scale: number, signal: AbortSignal): Promise<unknown> {
  const { input, seconds, timestamp } = params as { input: unknown; seconds?: unknown; timestamp?: unknown };
  let ms: number;
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds) || (seconds as number) < 0)
      throw terminal('States.Runtime', `Wait seconds must be a non-negative integer, got ${seconds}`);
    ms = (seconds as number) * 1000;
  } else {
    const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(at)) throw terminal('States.Runtime', `Wait timestamp is not a timestamp: ${timestamp}`);
    ms = Math.max(0, at - Date.now());
  }
  await sleep(ms * scale, signal);
  return input;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(terminal('States.Aborted', 'The execution was stopped'));
    let timer: NodeJS.Timeout;
    const deadline = Date.now() + ms;
    const arm = () => {
      const left = deadline - Date.now();
      if (left <= 0) return done();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_SECONDS * 1000));
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(terminal('States.Aborted', 'The execution was stopped'));
    };
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
