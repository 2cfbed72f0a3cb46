import { Metrics } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SmsPlatform',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-platform',
});
