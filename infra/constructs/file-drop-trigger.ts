import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Sidecar keys of S3 file drops (`objectKeys.dropPrefix(account)` + `<file>.json`, docs/file-drops.md).
 * EventBridge's `*` spans `/`, so this is "under drops/, ending in .json".
 */
export const DROP_SIDECAR_PATTERN = 'drops/*.json';

export interface FileDropTriggerProps {
  /** The upload bucket; its stack sends its events to EventBridge (`EventBridgeConfiguration`). */
  readonly bucket: IBucket;
  /** `receive-file-drop`. */
  readonly handler: IFunction;
}

/**
 * S3 → EventBridge → `receive-file-drop`, for sidecars only: an "Object Created" event of the upload
 * bucket under `drops/` ending in `.json`. The bucket lives in the stateful stack and the function in the
 * stateless one; a direct bucket notification would make the bucket's stack reference the function (a
 * cycle with the function's grants on the bucket), while this rule lives beside the function and only
 * reads the bucket's name. The function is invoked asynchronously (Lambda retries a failed invocation
 * twice); refused drops do not fail it (they are recorded), so only infrastructure errors are retried.
 */
export class FileDropTrigger extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: FileDropTriggerProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'S3 file drops: a sidecar under drops/ of the upload bucket starts receive-file-drop',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.wildcard(DROP_SIDECAR_PATTERN) },
        },
      },
    });
    this.rule.addTarget(new LambdaFunction(props.handler));
  }
}
