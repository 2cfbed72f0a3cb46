import { describe, expect, it } from 'vitest';
import { NotFound } from '#domain/errors';
import type { WorkflowStarter } from '#ports/workflows';
import {
  failBlocklistImport,
  finishBlocklistImport,
  importBlocklistChunk,
  parseBlocklistFile,
} from '#use-cases/blocklist/blocklist-import-workflow';
import { getBlocklistImport, importBlocklist } from '#use-cases/blocklist/import-blocklist';
import { fixedClock, sequentialIds, testAccount } from '../../../support/in-memory';
import {
  InMemoryAccountBlocklist,
  InMemoryBlocklistImports,
  memoryFiles,
  plainCsv,
} from '../../../support/in-memory-blocklist';

const account = testAccount();
const owner = { accountId: account.id, account };
const mobile = (i: number) => `+40722${String(i).padStart(6, '0')}`;

/** A file: header, then `numbers` (each row one cell), as uploaded by `acc1`. */
function setup(lines: readonly string[]) {
  const { files, objects } = memoryFiles();
  objects.set('uploads/acc1/u1', `Telefon\n${lines.join('\n')}\n`);
  const started: { workflow: string; name: string; input: Record<string, unknown> }[] = [];
  const workflows: WorkflowStarter = {
    start: async (workflow, name, input) => {
      started.push({ workflow, name, input });
    },
  };
  const deps = {
    accountBlocklist: new InMemoryAccountBlocklist(),
    blocklistImports: new InMemoryBlocklistImports(),
    batches: {
      getUpload: async (accountId: string, id: string) =>
        accountId === 'acc1' && id === 'u1'
          ? {
              id,
              accountId,
              key: 'uploads/acc1/u1',
              fileName: 'l.csv',
              contentType: 'text/csv',
              createdAt: '',
            }
          : undefined,
    },
    accounts: { get: async (id: string) => (id === 'acc1' ? account : undefined) },
    files,
    openSpreadsheet: plainCsv,
    workflows,
    ids: sequentialIds(),
    clock: fixedClock(),
  };
  return { deps, started, objects };
}

/** 2 500 data rows: 2 300 distinct numbers, 150 repeats, 50 invalid (one already listed by the customer). */
const bigFile = () => [
  ...Array.from({ length: 2_300 }, (_, i) => mobile(i)),
  ...Array.from({ length: 150 }, (_, i) => mobile(i * 3)),
  ...Array.from({ length: 50 }, (_, i) => `not-a-number-${i}`),
];
const request = { uploadId: 'u1', phoneColumn: 'A', firstRow: 2, reason: 'old provider' };

/** Runs the workflow's steps as the state machine does (each chunk once). */
async function runWorkflow(deps: ReturnType<typeof setup>['deps'], importId: string) {
  const input = { accountId: 'acc1', importId };
  const { chunks } = await parseBlocklistFile(deps, input);
  for (const chunk of chunks) await importBlocklistChunk(deps, { ...input, chunk });
  await finishBlocklistImport(deps, input);
  return { chunks, input };
}

describe('blocklist imports', () => {
  it('answers the report within the request up to the threshold, and starts nothing', async () => {
    // Arrange
    const { deps, started } = setup([mobile(1), mobile(2), 'x', mobile(1)]);
    // Act
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 4 });
    // Assert
    expect(outcome).toEqual({
      kind: 'report',
      report: {
        rows: 4,
        added: 2,
        duplicates: 1,
        alreadyListed: 0,
        invalid: 1,
        invalidRows: expect.any(Array),
      },
    });
    expect(started).toEqual([]);
    expect(await deps.accountBlocklist.get('acc1', mobile(2))).toMatchObject({ createdBy: 'import:u1' });
  });

  it('above the threshold writes nothing in the request and starts the workflow named after the import', async () => {
    // Arrange
    const { deps, started } = setup([mobile(1), mobile(2), mobile(3)]);
    // Act
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 2 });
    // Assert
    if (outcome.kind !== 'started') throw new Error('expected an asynchronous import');
    expect(outcome.import).toMatchObject({ status: 'running', uploadId: 'u1', reason: 'old provider' });
    expect(deps.accountBlocklist.entries.size).toBe(0);
    expect(started).toEqual([
      {
        workflow: 'importBlocklist',
        name: `blocklist-import-${outcome.import.id}`,
        input: { accountId: 'acc1', importId: outcome.import.id },
      },
    ]);
    expect(await getBlocklistImport(deps, owner, outcome.import.id)).toMatchObject({ status: 'running' });
  });

  it('the workflow reports exactly what the synchronous import reports for the same file', async () => {
    // Arrange
    const sync = setup(bigFile());
    const async = setup(bigFile());
    for (const { deps } of [sync, async])
      await deps.accountBlocklist.put({
        accountId: 'acc1',
        number: mobile(7),
        createdAt: '',
        createdBy: 'me',
      });
    // Act
    const direct = await importBlocklist(sync.deps, owner, request, { syncMaxRows: 10_000 });
    const outcome = await importBlocklist(async.deps, owner, request, { syncMaxRows: 1_000 });
    if (outcome.kind !== 'started' || direct.kind !== 'report') throw new Error('expected both paths');
    const { chunks } = await runWorkflow(async.deps, outcome.import.id);
    // Assert
    const done = await getBlocklistImport(async.deps, owner, outcome.import.id);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(done.status).toBe('completed');
    expect(done.report).toEqual(direct.report);
    expect(direct.report).toMatchObject({ rows: 2_500, added: 2_299, alreadyListed: 1, duplicates: 151 });
    expect(direct.report.invalidRows).toHaveLength(50);
    expect(async.deps.accountBlocklist.entries.size).toBe(2_300);
    expect(await async.deps.accountBlocklist.get('acc1', mobile(7))).toMatchObject({ createdBy: 'me' });
    expect(await async.deps.accountBlocklist.get('acc1', mobile(8))).toMatchObject({
      createdBy: `import:${outcome.import.id}`,
      reason: 'old provider',
    });
  });

  it('a re-run chunk (and a re-run parse) adds nothing twice and counts the same', async () => {
    // Arrange
    const { deps } = setup(bigFile());
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 1_000 });
    if (outcome.kind !== 'started') throw new Error('expected an asynchronous import');
    const input = { accountId: 'acc1', importId: outcome.import.id };
    const { chunks } = await parseBlocklistFile(deps, input);
    const [first, second, third] = chunks;
    if (!first || !second || !third) throw new Error('expected three chunks');
    // A first, complete attempt of chunk 0 (its answer lost: the state machine runs it again).
    const firstRun = await importBlocklistChunk(deps, { ...input, chunk: first });
    const sizeAfterChunk0 = deps.accountBlocklist.entries.size;
    // Act
    const again = await importBlocklistChunk(deps, { ...input, chunk: first });
    const reparsed = await parseBlocklistFile(deps, input);
    const secondRuns = [
      await importBlocklistChunk(deps, { ...input, chunk: second }),
      await importBlocklistChunk(deps, { ...input, chunk: second }),
    ];
    await importBlocklistChunk(deps, { ...input, chunk: third });
    await finishBlocklistImport(deps, input);
    // Assert
    expect(again).toEqual(firstRun);
    expect(reparsed.chunks).toEqual(chunks);
    expect(secondRuns[1]).toEqual(secondRuns[0]);
    expect(sizeAfterChunk0).toBe(1_000);
    expect(deps.accountBlocklist.entries.size).toBe(2_300);
    const done = await getBlocklistImport(deps, owner, input.importId);
    expect(done.report).toMatchObject({ rows: 2_500, added: 2_300, alreadyListed: 0, duplicates: 150 });
  });

  it('counts as added what an interrupted attempt of the same import wrote, not what others listed', async () => {
    // Arrange
    const { deps } = setup(bigFile().slice(0, 300));
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 10 });
    if (outcome.kind !== 'started') throw new Error('expected an asynchronous import');
    const input = { accountId: 'acc1', importId: outcome.import.id };
    const { chunks } = await parseBlocklistFile(deps, input);
    const [chunk] = chunks;
    if (!chunk) throw new Error('expected a chunk');
    // The interrupted attempt wrote 40 numbers; the customer listed 10 others meanwhile.
    for (let i = 0; i < 40; i++)
      await deps.accountBlocklist.put({
        accountId: 'acc1',
        number: mobile(i),
        createdAt: outcome.import.createdAt,
        createdBy: `import:${outcome.import.id}`,
      });
    for (let i = 100; i < 110; i++)
      await deps.accountBlocklist.put({
        accountId: 'acc1',
        number: mobile(i),
        createdAt: '',
        createdBy: 'me',
      });
    // Act
    const result = await importBlocklistChunk(deps, { ...input, chunk });
    await finishBlocklistImport(deps, input);
    // Assert
    expect(result).toEqual({ index: 0, added: 290 });
    expect((await getBlocklistImport(deps, owner, input.importId)).report).toMatchObject({
      rows: 300,
      added: 290,
      alreadyListed: 10,
    });
  });

  it('Finish refuses an import whose chunks were not all added; Fail records the reason', async () => {
    // Arrange
    const { deps } = setup(bigFile());
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 1_000 });
    if (outcome.kind !== 'started') throw new Error('expected an asynchronous import');
    const input = { accountId: 'acc1', importId: outcome.import.id };
    await parseBlocklistFile(deps, input);
    // Act
    const finishing = finishBlocklistImport(deps, input);
    const failed = await failBlocklistImport(deps, {
      ...input,
      error: {
        Error: 'SpreadsheetRejected',
        Cause: JSON.stringify({ errorMessage: 'The file has more rows than allowed', code: 'TOO_MANY_ROWS' }),
      },
    });
    // Assert
    await expect(finishing).rejects.toThrow('3 chunks were not added');
    expect(failed).toEqual({ status: 'failed' });
    expect(await getBlocklistImport(deps, owner, input.importId)).toMatchObject({
      status: 'failed',
      failure: 'TOO_MANY_ROWS: The file has more rows than allowed',
    });
  });

  it("another account's import is not found, and a start that fails leaves the import failed", async () => {
    // Arrange
    const { deps } = setup([mobile(1), mobile(2), mobile(3)]);
    const broken = { ...deps, workflows: { start: async () => Promise.reject(new Error('SFN down')) } };
    const outcome = await importBlocklist(deps, owner, request, { syncMaxRows: 1 });
    if (outcome.kind !== 'started') throw new Error('expected an asynchronous import');
    // Act
    const refused = importBlocklist(broken, owner, request, { syncMaxRows: 1 });
    // Assert
    await expect(getBlocklistImport(deps, { accountId: 'acc2' }, outcome.import.id)).rejects.toThrow(
      NotFound,
    );
    await expect(refused).rejects.toThrow('SFN down');
    const imports = [...deps.blocklistImports.imports.values()];
    expect(imports.map((i) => i.status).sort()).toEqual(['failed', 'running']);
  });
});
