import { Fail, JsonPath, Map as MapState } from 'aws-cdk-lib/aws-stepfunctions';
import type { DefinitionBuilder } from './batch-workflow-definitions';

const IMPORT = { accountId: JsonPath.stringAt('$.accountId'), importId: JsonPath.stringAt('$.importId') };

/**
 * docs/workflows.md, import-blocklist: ParseFile → ImportChunks (inline Map, 4 at a time; each chunk
 * records what it added on the import, so the Map keeps no results: 1 000 chunks for 1M numbers) →
 * Finish; any error the retrier does not absorb → Fail (the import is `failed` with the reason).
 */
export const importBlocklist: DefinitionBuilder<'importBlocklist'> = (scope, task) => {
  const fail = task('Fail', 'finish-blocklist-import', {
    payload: { ...IMPORT, error: JsonPath.objectAt('$.error') },
    resultPath: JsonPath.DISCARD,
  });
  fail.next(Fail.jsonPath(scope, 'ImportFailed', { error: 'ImportFailed', cause: 'Recorded on the import' }));
  const parse = task('ParseFile', 'parse-blocklist-file', { payload: IMPORT, resultPath: '$.parse' });
  const chunks = MapState.jsonPath(scope, 'ImportChunks', {
    itemsPath: '$.parse.chunks',
    itemSelector: { ...IMPORT, chunk: JsonPath.objectAt('$$.Map.Item.Value') },
    maxConcurrency: 4,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(task('ImportChunk', 'import-blocklist-chunk'));
  const finish = task('Finish', 'finish-blocklist-import', { payload: IMPORT, resultPath: '$.result' });
  for (const state of [parse, chunks, finish])
    state.addCatch(fail, { errors: ['States.ALL'], resultPath: '$.error' });
  return parse.next(chunks).next(finish);
};
