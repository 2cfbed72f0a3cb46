import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { instrument } from '#observability/instrument';
import type { WorkflowStarter } from '#ports/workflows';
import { WORKFLOWS, type WorkflowKey } from '#topology/workflows';

/**
 * Starts executions with a deterministic name, so a retried request never starts a second run:
 * Step Functions answers the same execution for the same name and input, and ExecutionAlreadyExists
 * for the same name with another input (treated as already started).
 */
export function makeSfnWorkflowStarter(options: {
  client?: SFNClient;
  arns: Partial<Record<WorkflowKey, string>>;
}): WorkflowStarter {
  const client = options.client ?? instrument(new SFNClient({}), 'SFN');
  return {
    async start(workflow, name, input) {
      const arn = options.arns[workflow];
      if (!arn) throw new Error(`${WORKFLOWS[workflow].arnEnv} is not set`);
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }),
        );
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
  };
}
