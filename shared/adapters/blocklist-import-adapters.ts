import { systemClock } from '#ports/clock';
import { makeFileAdapters } from './batch-adapters';
import { makeTableAdapters } from './table-adapters';

/**
 * What the import-blocklist workflow tasks need, built once per cold start; only tasks with the upload
 * bucket in their spec build the file adapters (finish-blocklist-import has no UPLOAD_BUCKET, no grant).
 */
export function makeBlocklistImportTaskDeps() {
  const table = makeTableAdapters();
  return {
    blocklistImports: table.blocklistImports,
    accountBlocklist: table.accountBlocklist,
    accounts: table.accounts,
    batches: table.batches,
    clock: systemClock,
  };
}

export function makeBlocklistImportFileTaskDeps() {
  return { ...makeBlocklistImportTaskDeps(), ...makeFileAdapters() };
}
