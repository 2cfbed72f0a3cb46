import { countingEnabled, countUsage, type SdkClient } from './sdk-usage';
import { tracer } from './tracer';

/**
 * Every SDK client goes through here once per cold start: X-Ray tracing (inert outside Lambda) and,
 * in the local stack only, request counting for cost measurements.
 */
export function instrument<T extends SdkClient>(client: T, service: string): T {
  const traced = tracer.captureAWSv3Client(client);
  if (countingEnabled()) countUsage(traced, service);
  return traced;
}
