import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeliveryReportTopicProps {
  /** Name of the End User Messaging configuration set allowed to publish (created in the stateless stack). */
  readonly configurationSetName: string;
  /** The delivery-report queue: it receives each event as the raw JSON End User Messaging published. */
  readonly queue: IQueue;
}

/**
 * The SNS topic an End User Messaging configuration set publishes its SMS events to, and the delivery-report
 * queue's subscription to it (raw message delivery, so the consumer reads the event itself, not an SNS
 * envelope). It lives beside the queue because an SQS subscription is created in the queue's stack: in the
 * stateless stack it would make the two stacks depend on each other.
 */
export class DeliveryReportTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: DeliveryReportTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com');
    // Built from the name, not referenced: the configuration set is in the stack that depends on this one.
    const configurationSetArn = stack.formatArn({
      service: 'sms-voice',
      resource: 'configuration-set',
      resourceName: props.configurationSetName,
    });
    const fromOurConfigurationSet = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': configurationSetArn },
    };

    // aws/sns cannot be used: its key policy cannot be extended to let sms-voice encrypt.
    const key = new Key(this, 'Key', {
      description: 'Encrypts End User Messaging delivery events in transit through SNS',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [smsVoice],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'End User Messaging SMS events',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [smsVoice],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurConfigurationSet,
      }),
    );
    this.topic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: true }));
  }
}
