import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import type { FunctionName } from '#topology/functions';
import { readPlatformConfig } from '../../infra/config';
import { buildPlatform, type Platform } from '../../infra/platform';

export const TEST_CARRIER_URL = 'https://carrier-sim.example.test';

/** The context `cdk synth` gets from cdk.json (feature flags, defaults), so tests build the same templates. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export interface ValidationViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly violatingConstructs: readonly { readonly constructPath: string }[];
}

export interface SynthesizedPlatform {
  readonly platform: Platform;
  readonly stateful: Template;
  readonly stateless: Template;
  /** Unacknowledged findings of every validation plugin (cdk-nag's AwsSolutions pack among them). */
  readonly violations: readonly (ValidationViolation & { readonly plugin: string })[];
  readonly pluginNames: readonly string[];
}

/**
 * Builds the app in-process exactly as `infra/app.ts` does, with bundling skipped (handlers need not exist)
 * and validation failures reported instead of thrown, so a test can list them.
 */
export function synthPlatform(context: Record<string, string> = {}): SynthesizedPlatform {
  const app = new App({
    context: {
      ...cdkJsonContext,
      carrierUrl: TEST_CARRIER_URL,
      ...context,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const platform = buildPlatform(app, readPlatformConfig(app));
  const assembly = app.synth();
  const report: {
    pluginReports: { pluginName: string; violations: ValidationViolation[] }[];
  } = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return {
    platform,
    stateful: Template.fromStack(platform.stateful),
    stateless: Template.fromStack(platform.stateless),
    violations: report.pluginReports.flatMap((r) =>
      r.violations.map((v) => ({ ...v, plugin: r.pluginName })),
    ),
    pluginNames: report.pluginReports.map((r) => r.pluginName),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
export type CfnValue = any;
export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, CfnValue>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourcesOf(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

/**
 * Follows a cross-stack value of the stateless template (`Fn::GetStackOutput` for weak references,
 * `Fn::ImportValue` for strong ones) to the expression it stands for in the stateful template.
 */
export function crossStack(stateful: Template, value: CfnValue): CfnValue {
  const outputs = stateful.toJSON().Outputs as Record<string, { Value: CfnValue; Export?: { Name: string } }>;
  const weak = value?.['Fn::GetStackOutput']?.OutputName;
  if (weak) return outputs[weak]?.Value;
  const strong = value?.['Fn::ImportValue'];
  if (strong) return Object.values(outputs).find((o) => o.Export?.Name === strong)?.Value;
  return value;
}

/** Logical id of a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }`. */
export function logicalIdOf(value: CfnValue): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

/** The deployed functions by their FUNCTIONS name (each says it in POWERTOOLS_SERVICE_NAME). */
export function functionsByName(stateless: Template): Map<FunctionName, [string, CfnResource]> {
  return new Map(
    resourcesOf(stateless, 'AWS::Lambda::Function').map(([id, fn]) => [
      fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME as FunctionName,
      [id, fn],
    ]),
  );
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: CfnValue;
}

/** Every statement of every identity policy attached to the function's execution role. */
export function statementsOf(stateless: Template, fn: CfnResource): PolicyStatementJson[] {
  return roleStatements(stateless, logicalIdOf(fn.Properties.Role) as string);
}

/** Every statement of every identity policy attached to the role (which has no inline or managed ones). */
export function roleStatements(template: Template, roleId: string): PolicyStatementJson[] {
  const role = template.toJSON().Resources[roleId];
  const attached = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
    (policy.Properties.Roles as CfnValue[]).some((r) => r.Ref === roleId),
  );
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  expect(role.Properties.Policies ?? []).toEqual([]);
  return attached.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

/**
 * A CloudFormation value as one string, the way cdk-nag and a reader see it: `Fn::Join` joined,
 * `{ Fn::GetAtt: [id, attr] }` as `<id.attr>`, `{ Ref: id }` as `<id>`. A state machine's definition
 * (`Fn::Join` of JSON text and references) becomes parseable JSON this way.
 */
export function flatten(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) {
    const [delimiter, parts] = value['Fn::Join'];
    return (parts as CfnValue[]).map(flatten).join(delimiter);
  }
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
  if (value?.Ref) return `<${value.Ref}>`;
  return JSON.stringify(value);
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourceList(statement: PolicyStatementJson): CfnValue[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
