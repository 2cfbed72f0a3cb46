import { describe, expect, it } from 'vitest';
import { ROUTES } from '#topology/routes';
import { flatten, functionsByName, logicalIdOf, resourcesOf, synthPlatform } from './synth-platform';

// Arrange (once: synthesis takes a few seconds)
const { stateful, stateless } = synthPlatform();

/** CloudFormation refuses a template with more (deployment fails; CDK only warns near it). */
const MAX_RESOURCES = 500;
const MAX_OUTPUTS = 200;

describe("the stacks stay within CloudFormation's quotas", () => {
  it.each([
    ['Stateful', stateful],
    ['Stateless', stateless],
  ])('%s: fewer than 500 resources and 200 outputs', (_, template) => {
    const json = template.toJSON();
    expect(Object.keys(json.Resources ?? {}).length).toBeLessThan(MAX_RESOURCES);
    expect(Object.keys(json.Outputs ?? {}).length).toBeLessThan(MAX_OUTPUTS);
  });

  it('API Gateway may invoke each routed function through one permission for this API, not one per route', () => {
    // Arrange
    const routed = new Set(ROUTES.map((r) => r.function));
    const byId = new Map([...functionsByName(stateless)].map(([name, [id]]) => [id, name]));
    const [apiId] = resourcesOf(stateless, 'AWS::ApiGatewayV2::Api')[0] ?? [];
    const permissions = resourcesOf(stateless, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );

    // Assert
    const names = permissions.map(([, p]) => byId.get(logicalIdOf(p.Properties.FunctionName) ?? ''));
    expect(names.sort()).toEqual([...routed].sort());
    for (const [, p] of permissions) {
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
      expect(flatten(p.Properties.SourceArn)).toBe(
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiId}>/*/*/*`,
      );
    }
  });
});
