import { Tracer } from '@aws-lambda-powertools/tracer';

/** X-Ray tracing; inert outside Lambda (POWERTOOLS_TRACE_ENABLED=false in the local stack). */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-platform' });
