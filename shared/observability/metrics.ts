import { Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';

/** EMF metrics; the library's own warnings (e.g. "no metrics to publish") go through our logger. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SmsPlatform',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-platform',
  logger,
});
