import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { invalid } from './aws-api-error';
import type { Json } from './scheduler-expressions';

/** What the local Scheduler's schedules can target: state machines (two ways) and functions. */

export interface SchedulerTargets {
  /** A state machine target: StartExecution with the schedule's Input (and a Name, universal target only). */
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<void>;
  /** A Lambda target (Scheduler invokes asynchronously); without it, function targets are refused. */
  invokeFunction?(fn: FunctionName, event: unknown): Promise<void>;
}

/** StartExecution through a (local) SFNClient, for `targets.startExecution`. */
export function sfnStartExecution(client: SFNClient): SchedulerTargets['startExecution'] {
  return async (stateMachineArn, input, name) => {
    await client.send(new StartExecutionCommand({ stateMachineArn, input, ...(name ? { name } : {}) }));
  };
}

const STATE_MACHINE = /^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/;
const FUNCTION = /^arn:aws:lambda:[^:]+:\d{12}:function:([^:]+)(:[^:]+)?$/;
const SFN_UNIVERSAL = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';

export async function invokeTarget(targets: SchedulerTargets, arn: string, input: string): Promise<void> {
  if (STATE_MACHINE.test(arn)) return targets.startExecution(arn, input);
  if (arn === SFN_UNIVERSAL) {
    const request = JSON.parse(input) as { StateMachineArn: string; Input?: string; Name?: string };
    return targets.startExecution(request.StateMachineArn, request.Input ?? '{}', request.Name);
  }
  const fn = FUNCTION.exec(arn)?.[1] as FunctionName;
  if (!targets.invokeFunction) throw new Error(`No invokeFunction target for ${arn}`);
  return targets.invokeFunction(fn, JSON.parse(input));
}

export function validateTarget(targets: SchedulerTargets, target: Json): void {
  if (!target?.Arn || !target.RoleArn) throw invalid('Target.Arn and Target.RoleArn are required');
  const arn = String(target.Arn);
  let input: unknown;
  try {
    input = JSON.parse(String(target.Input ?? '{}'));
  } catch {
    throw invalid('Target.Input must be well-formed JSON for Step Functions and Lambda targets');
  }
  const fn = FUNCTION.exec(arn)?.[1];
  if (arn === SFN_UNIVERSAL && typeof (input as Json)?.StateMachineArn !== 'string')
    throw invalid('sfn:startExecution needs StateMachineArn in Target.Input');
  const supported =
    STATE_MACHINE.test(arn) ||
    arn === SFN_UNIVERSAL ||
    (fn !== undefined && fn in FUNCTIONS && targets.invokeFunction !== undefined);
  if (!supported) throw invalid(`Target ${arn} is not supported by the local scheduler`);
}
