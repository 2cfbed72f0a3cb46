import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard `resource` of a policy under `scope`,
 * when that resource holds a cross-stack reference: cdk-nag names the finding after the resolved
 * reference (`Fn::GetStackOutput` with a generated output name), which exists only once CDK has prepared
 * the app. So the acknowledgement is made then, in a construct validation (which runs after the
 * references are resolved and before the validation plugins), for exactly that resource.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const finding = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${finding}]`,
        reason,
      });
      return [];
    },
  });
}

/** How cdk-nag 3 spells a resolved CloudFormation value in a finding id (its `flattenCfnReference`). */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenCfnReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenCfnReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenCfnReference(node.Ref)}>`;
  return JSON.stringify(node);
}
