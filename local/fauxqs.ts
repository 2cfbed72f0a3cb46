import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { visibilityTimeoutSeconds } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';

const DAY_SECONDS = 86_400;

export interface QueuesAndBuckets {
  /** `http://127.0.0.1:<port>`: the `endpoint` of every SQS and S3 client (S3 with `forcePathStyle`). */
  readonly endpoint: string;
  /**
   * Queue URLs as fauxqs names them (`http://sqs.<region>.localhost:<port>/000000000000/<name>`).
   * Their host does not resolve: clients must be built with `endpoint` (the SDK then ignores the URL host).
   */
  readonly queueUrls: Record<QueueKey, string>;
  readonly queueArns: Record<QueueKey, string>;
  readonly dlqUrls: Record<QueueKey, string>;
  readonly dlqArns: Record<QueueKey, string>;
  /** The in-process fauxqs server: `spy` bridges S3 uploads, `inspectQueue` helps tests. */
  readonly server: FauxqsServer;
  stop(): Promise<void>;
}

/** Name of a queue's dead-letter queue, locally (the CDK names the deployed one). */
export function dlqName(key: QueueKey): string {
  return `${QUEUES[key].name}-dlq`;
}

/**
 * Starts fauxqs in-process and creates every queue of `QUEUES` with its DLQ, the same redrive policy and
 * the same visibility timeout (6 × the consumer's timeout) that the CDK sets, plus the given buckets.
 */
export async function startQueuesAndBuckets(options: {
  buckets: string[];
  /** @default 0 (a free port) */
  port?: number;
  /** @default 'us-east-1' */
  region?: string;
}): Promise<QueuesAndBuckets> {
  const region = options.region ?? 'us-east-1';
  const server = await startFauxqs({
    port: options.port ?? 0,
    logger: false,
    messageSpies: true,
    defaultRegion: region,
  });
  try {
    const queueUrls = {} as Record<QueueKey, string>;
    const queueArns = {} as Record<QueueKey, string>;
    const dlqUrls = {} as Record<QueueKey, string>;
    const dlqArns = {} as Record<QueueKey, string>;
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      const spec = QUEUES[key];
      const dlq = server.createQueue(dlqName(key), {
        region,
        attributes: { MessageRetentionPeriod: String(spec.dlqRetentionDays * DAY_SECONDS) },
      });
      const queue = server.createQueue(spec.name, {
        region,
        attributes: {
          VisibilityTimeout: String(visibilityTimeoutSeconds(spec.consumer)),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlq.queueArn,
            maxReceiveCount: spec.maxReceiveCount,
          }),
        },
      });
      queueUrls[key] = queue.queueUrl;
      queueArns[key] = queue.queueArn;
      dlqUrls[key] = dlq.queueUrl;
      dlqArns[key] = dlq.queueArn;
    }
    for (const bucket of options.buckets) server.createBucket(bucket);
    return {
      endpoint: server.address,
      queueUrls,
      queueArns,
      dlqUrls,
      dlqArns,
      server,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
