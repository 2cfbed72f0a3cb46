import { Choice, Condition, Fail, JsonPath, Map as MapState, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import type { DefinitionBuilder } from './batch-workflow-definitions';

const GROUP = { accountId: JsonPath.stringAt('$.accountId'), groupId: JsonPath.stringAt('$.groupId') };

/**
 * docs/workflows.md, import-contacts: ParseFile → ImportChunks (inline Map, 4 at a time) → Finish; any
 * error the retrier does not absorb → Fail (the group is `failed` with the reason).
 */
export const importContacts: DefinitionBuilder<'importContacts'> = (scope, task) => {
  const fail = task('Fail', 'finish-group-import', {
    payload: { ...GROUP, error: JsonPath.objectAt('$.error') },
    resultPath: JsonPath.DISCARD,
  });
  fail.next(Fail.jsonPath(scope, 'ImportFailed', { error: 'ImportFailed', cause: 'Recorded on the group' }));
  const parse = task('ParseFile', 'parse-group-file', { payload: GROUP, resultPath: '$.parse' });
  const chunks = MapState.jsonPath(scope, 'ImportChunks', {
    itemsPath: '$.parse.chunks',
    itemSelector: { ...GROUP, chunk: JsonPath.objectAt('$$.Map.Item.Value') },
    maxConcurrency: 4,
    resultPath: '$.chunks',
  }).itemProcessor(task('ImportChunk', 'import-group-chunk'));
  const finish = task('Finish', 'finish-group-import', {
    payload: { ...GROUP, parse: JsonPath.objectAt('$.parse'), chunks: JsonPath.listAt('$.chunks') },
    resultPath: '$.result',
  });
  for (const state of [parse, chunks, finish])
    state.addCatch(fail, { errors: ['States.ALL'], resultPath: '$.error' });
  return parse.next(chunks).next(finish);
};

/** docs/workflows.md, purge-contact-group: Purge (a step of deletes) until done. */
export const purgeContactGroup: DefinitionBuilder<'purgeContactGroup'> = (scope, task) => {
  const purge = task('Purge', 'purge-contact-group', { payload: GROUP, resultPath: '$.purge' });
  return purge.next(
    Choice.jsonPath(scope, 'IsPurged')
      .when(Condition.booleanEquals('$.purge.done', true), Succeed.jsonPath(scope, 'Purged'))
      .otherwise(purge),
  );
};
