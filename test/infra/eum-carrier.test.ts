import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '#topology/functions';
import { QUEUES } from '#topology/queues';
import { platformNames } from '../../infra/config';
import {
  actionsOf,
  crossStack,
  functionsByName,
  logicalIdOf,
  resourcesOf,
  statementsOf,
  synthPlatform,
} from './synth-platform';

// Arrange (once)
const { stateful, stateless } = synthPlatform({
  carrier: 'eum',
  eumOriginationIdentity: 'pool-0123456789abcdef',
});
const names = platformNames('dev');
const specs = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];
const functions = functionsByName(stateless);

describe('carrier=eum', () => {
  const [, configurationSet] = resourcesOf(stateless, 'AWS::SMSVOICE::ConfigurationSet')[0] ?? [];
  const topicId = logicalIdOf(
    crossStack(stateful, configurationSet?.Properties.EventDestinations[0].SnsDestination.TopicArn),
  );

  it('creates the configuration set, publishing every SMS event to an SNS topic', () => {
    // Assert
    expect(configurationSet?.Properties).toMatchObject({
      ConfigurationSetName: names.configurationSet,
      EventDestinations: [{ Enabled: true, MatchingEventTypes: ['TEXT_ALL'] }],
    });
    expect(stateful.toJSON().Resources[topicId as string].Type).toBe('AWS::SNS::Topic');
  });

  it('lets only End User Messaging, for this configuration set, publish to the topic', () => {
    // Assert
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': Match.anyValue() } }),
          }),
        ]),
      },
    });
  });

  it('subscribes the delivery-report queue to the topic with raw message delivery', () => {
    // Arrange
    const [dlrQueueId] =
      resourcesOf(stateful, 'AWS::SQS::Queue').find(
        ([, q]) => q.Properties.QueueName === `${names.prefix}-${QUEUES.deliveryReports.name}`,
      ) ?? [];
    // Assert
    stateful.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      TopicArn: { Ref: topicId },
      Endpoint: { 'Fn::GetAtt': [dlrQueueId, 'Arn'] },
    });
  });

  it.each(specs)('%s may call sms-voice:SendTextMessage only if it talks to the carrier', (name, spec) => {
    // Act
    const [, fn] = functions.get(name) ?? [];
    const actions = statementsOf(stateless, fn as NonNullable<typeof fn>).flatMap(actionsOf);
    // Assert
    expect(actions.filter((a) => a.startsWith('sms-voice:'))).toEqual(
      spec.carrier ? ['sms-voice:SendTextMessage'] : [],
    );
  });

  it.each(specs.filter(([, s]) => s.carrier))('%s is configured for End User Messaging', (name) => {
    // Act
    const variables = functions.get(name)?.[1].Properties.Environment.Variables;
    // Assert
    expect(variables).toMatchObject({
      CARRIER: 'eum',
      EUM_CONFIGURATION_SET: names.configurationSet,
      EUM_ORIGINATION_IDENTITY: 'pool-0123456789abcdef',
    });
    expect(variables.CARRIER_SIM_URL).toBeUndefined();
    expect(variables.CARRIER_SIM_API_KEY_PARAM).toBeUndefined();
  });
});
