import { SQSClient } from '@aws-sdk/client-sqs';
import { instrument } from '#observability/instrument';

/**
 * One SQS client per cold start. Locally `AWS_ENDPOINT_URL_SQS` points at fauxqs; it is passed as an
 * explicit endpoint because the SQS client otherwise sends each request to its QueueUrl's host
 * (`useQueueUrlAsEndpoint`), and fauxqs's `sqs.<region>.localhost` host names do not resolve here.
 */
export function makeSqsClient(
  client = new SQSClient(
    process.env.AWS_ENDPOINT_URL_SQS ? { endpoint: process.env.AWS_ENDPOINT_URL_SQS } : {},
  ),
): SQSClient {
  return instrument(client, 'SQS');
}
