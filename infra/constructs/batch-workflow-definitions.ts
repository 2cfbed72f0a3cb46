import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Fail,
  type IChainable,
  JsonPath,
  Map as MapState,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { WORKFLOWS, WorkflowKey } from '#topology/workflows';
import { importBlocklist } from './blocklist-workflow-definitions';
import { importContacts, purgeContactGroup } from './contact-workflow-definitions';

/** Lambda errors worth another attempt (docs/workflows.md); anything else is caught and fails the batch. */
export const TASK_RETRY_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
  'States.Timeout',
] as const;

/** Task `id` invoking one of the workflow's own task functions (its return value is the result). */
export type TaskFactory<K extends WorkflowKey> = (
  id: string,
  fn: (typeof WORKFLOWS)[K]['tasks'][number],
  options?: { readonly payload?: Record<string, unknown>; readonly resultPath?: string },
) => LambdaInvoke;

/**
 * Builds the states of one workflow in `scope` (state names are construct ids, so each workflow gets its
 * own scope). JSONPath only, no variables, inline Maps: the local interpreter runs the same definition.
 */
export type DefinitionBuilder<K extends WorkflowKey> = (scope: Construct, task: TaskFactory<K>) => IChainable;

/** Invokes `fn` with `payload` (the state's input when omitted); the Lambda's return value is the result. */
export function lambdaTask(
  scope: Construct,
  id: string,
  lambdaFunction: IFunction,
  options: { readonly payload?: Record<string, unknown>; readonly resultPath?: string } = {},
): LambdaInvoke {
  const task = LambdaInvoke.jsonPath(scope, id, {
    lambdaFunction,
    // Resource = the function ARN: the result is the return value itself, so ResultPath can place it.
    payloadResponseOnly: true,
    // Replaced by the documented retrier below (CDK's default would add a second, overlapping one).
    retryOnServiceExceptions: false,
    ...(options.payload ? { payload: TaskInput.fromObject(options.payload) } : {}),
    ...(options.resultPath ? { resultPath: options.resultPath } : {}),
  });
  task.addRetry({
    errors: [...TASK_RETRY_ERRORS],
    interval: Duration.seconds(2),
    maxAttempts: 3,
    backoffRate: 2,
  });
  return task;
}

const BATCH = { accountId: JsonPath.stringAt('$.accountId'), batchId: JsonPath.stringAt('$.batchId') };
/** Each Map iteration gets the batch and one chunk (`{ index, key, … }`) of the list. */
const PER_CHUNK = { ...BATCH, chunk: JsonPath.objectAt('$$.Map.Item.Value') };
const CATCH_ALL = { errors: ['States.ALL'], resultPath: '$.error' };

/** `Fail` (fail-batch records the reason and refunds) → `BatchFailed`: where every Catch goes. */
function failBatch<K extends WorkflowKey>(
  scope: Construct,
  task: TaskFactory<K>,
  fn: (typeof WORKFLOWS)[K]['tasks'][number],
) {
  const fail = task('Fail', fn, {
    payload: { ...BATCH, error: JsonPath.objectAt('$.error') },
    resultPath: JsonPath.DISCARD,
  });
  fail.next(
    Fail.jsonPath(scope, 'BatchFailed', {
      error: 'BatchFailed',
      cause: 'The batch failed; fail-batch recorded the reason on the batch',
    }),
  );
  return fail;
}

/**
 * docs/workflows.md, analyse-batch: ParseFile → AnalyseChunks (inline Map, 4 at a time) → Summarise →
 * AutoStart when the batch asked for it.
 */
export const analyseBatch: DefinitionBuilder<'analyseBatch'> = (scope, task) => {
  const fail = failBatch(scope, task, 'fail-batch');
  const parse = task('ParseFile', 'parse-batch-file', { payload: BATCH, resultPath: '$.parse' });
  const chunks = MapState.jsonPath(scope, 'AnalyseChunks', {
    itemsPath: '$.parse.chunks',
    itemSelector: PER_CHUNK,
    maxConcurrency: 4,
    // Each chunk's counts are in S3 beside it (summarise-batch reads them): the state stays small.
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(task('AnalyseChunk', 'analyse-batch-chunk'));
  const summarise = task('Summarise', 'summarise-batch', {
    payload: { ...BATCH, parse: JsonPath.objectAt('$.parse') },
    resultPath: '$.summary',
  });
  const autoStart = task('AutoStart', 'auto-start-batch', { payload: BATCH, resultPath: '$.autoStart' });
  const isAutoStart = Choice.jsonPath(scope, 'IsAutoStart')
    .when(Condition.booleanEquals('$.summary.autoStart', true), autoStart)
    .otherwise(Succeed.jsonPath(scope, 'Analysed'));
  // A Catch cannot leave a Map's iterations: the Map itself catches what its iterations did not retry.
  for (const state of [parse, chunks, summarise, autoStart]) state.addCatch(fail, CATCH_ALL);
  return parse.next(chunks).next(summarise).next(isAutoStart);
};

/**
 * docs/workflows.md, send-batch: Plan → SendChunks (inline Map, one at a time: Enqueue → Pace, or
 * WhilePaused → Enqueue while the batch is paused) →
 * CheckProgress ⇄ WaitForReports until done → Settle.
 */
export const sendBatch: DefinitionBuilder<'sendBatch'> = (scope, task) => {
  const fail = failBatch(scope, task, 'fail-batch');
  const plan = task('Plan', 'plan-batch-send', { payload: BATCH, resultPath: '$.plan' });
  // Enqueue answers `{ done, waitSeconds }` at $.step: done → Pace (the chunk's stretch) and the next
  // chunk; not done (paused) → WhilePaused, then Enqueue again (which, after a resume, first enqueues
  // again what the pause held back).
  const enqueue = task('Enqueue', 'enqueue-batch-chunk', { resultPath: '$.step' });
  const pace = Wait.jsonPath(scope, 'Pace', { time: WaitTime.secondsPath('$.step.waitSeconds') });
  const whilePaused = Wait.jsonPath(scope, 'WhilePaused', {
    time: WaitTime.secondsPath('$.step.waitSeconds'),
  });
  const chunkSent = Choice.jsonPath(scope, 'ChunkSent')
    .when(Condition.booleanEquals('$.step.done', false), whilePaused.next(enqueue))
    .otherwise(pace);
  const chunks = MapState.jsonPath(scope, 'SendChunks', {
    itemsPath: '$.plan.chunks',
    itemSelector: PER_CHUNK,
    maxConcurrency: 1,
    // A 1M-row batch has 1 000 chunks: their results are not kept.
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(enqueue.next(chunkSent));
  const checkProgress = task('CheckProgress', 'check-batch-progress', {
    payload: BATCH,
    resultPath: '$.progress',
  });
  const waitForReports = Wait.jsonPath(scope, 'WaitForReports', {
    time: WaitTime.secondsPath('$.progress.waitSeconds'),
  });
  const settle = task('Settle', 'settle-batch', { payload: BATCH, resultPath: '$.settlement' });
  for (const state of [plan, chunks, checkProgress, settle]) state.addCatch(fail, CATCH_ALL);
  const done = Choice.jsonPath(scope, 'IsDone')
    .when(Condition.booleanEquals('$.progress.done', true), settle)
    .otherwise(waitForReports.next(checkProgress));
  return plan.next(chunks).next(checkProgress).next(done);
};

/** One builder per WORKFLOWS entry. */
export const DEFINITIONS: { readonly [K in WorkflowKey]: DefinitionBuilder<K> } = {
  analyseBatch,
  sendBatch,
  importContacts,
  purgeContactGroup,
  importBlocklist,
};
