import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUEUES } from '#topology/queues';
import { ROUTES, routeKey } from '#topology/routes';
import { crossStack, functionsByName, logicalIdOf, resourcesOf, synthPlatform } from './synth-platform';

// Arrange (once)
const { stateful, stateless } = synthPlatform();
const functions = functionsByName(stateless);
const resources = stateless.toJSON().Resources;

describe('HTTP API routes', () => {
  const routes = resourcesOf(stateless, 'AWS::ApiGatewayV2::Route');

  it('has exactly one route per ROUTES entry', () => {
    // Assert
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))(
    '%s: authorizer and function from ROUTES',
    (key, route) => {
      // Act
      const [, cfnRoute] = routes.find(([, r]) => r.Properties.RouteKey === key) ?? [];
      const integrationId = logicalIdOf(cfnRoute?.Properties.Target['Fn::Join'][1][1]);
      const integration = resources[integrationId as string];
      // Assert
      expect(cfnRoute?.Properties.AuthorizationType).toBe(route.auth === 'operator' ? 'AWS_IAM' : 'NONE');
      expect(logicalIdOf(integration.Properties.IntegrationUri)).toBe(functions.get(route.function)?.[0]);
    },
  );

  it('logs every request and throttles on the auto-deployed $default stage', () => {
    // Assert
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
    const [, stage] = resourcesOf(stateless, 'AWS::ApiGatewayV2::Stage')[0] ?? [];
    expect(JSON.parse(stage?.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('outputs the API URL', () => {
    // Assert
    expect(Object.keys(stateless.toJSON().Outputs)).toContain('ApiUrl');
  });
});

describe('queue consumers', () => {
  const mappings = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping');
  const queueIdOf = (name: string) =>
    resourcesOf(stateful, 'AWS::SQS::Queue').find(([, q]) =>
      q.Properties.QueueName.endsWith(`-${name}`),
    )?.[0];

  it('has one event source mapping per QUEUES entry', () => {
    // Assert
    expect(mappings).toHaveLength(Object.keys(QUEUES).length);
  });

  it.each(Object.entries(QUEUES))(
    '%s: consumer, batch size and window from the topology, partial failures',
    (_k, q) => {
      // Act
      const [, mapping] =
        mappings.find(
          ([, m]) => logicalIdOf(crossStack(stateful, m.Properties.EventSourceArn)) === queueIdOf(q.name),
        ) ?? [];
      // Assert
      expect(mapping?.Properties).toMatchObject({
        BatchSize: q.batchSize,
        MaximumBatchingWindowInSeconds: q.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(logicalIdOf(mapping?.Properties.FunctionName)).toBe(functions.get(q.consumer)?.[0]);
    },
  );

  it('outputs the table name and every queue URL', () => {
    // Assert
    const outputs = Object.keys(stateful.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(['TableName', 'SendQueueUrl', 'DeliveryReportsQueueUrl']));
  });
});
