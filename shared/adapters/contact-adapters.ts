import { systemClock } from '#ports/clock';
import { makeFileAdapters } from './batch-adapters';
import { makeTableAdapters } from './table-adapters';

/**
 * What the contact-group workflow tasks need, built once per cold start; only tasks with the upload
 * bucket in their spec build the file adapters (the others have no UPLOAD_BUCKET and no grant on it).
 */
export function makeContactTaskDeps() {
  const table = makeTableAdapters();
  return {
    contactGroups: table.contactGroups,
    batches: table.batches,
    accounts: table.accounts,
    clock: systemClock,
  };
}

export function makeContactFileTaskDeps() {
  return { ...makeContactTaskDeps(), ...makeFileAdapters() };
}
