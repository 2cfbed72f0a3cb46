import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDynamoResultsExportRepository } from '#adapters/dynamodb/results-export-repository';
import type { ResultsExport } from '#domain/batch/results-export';
import { stack } from '../../support/api';

const dynamo = new DynamoDBClient({
  endpoint: stack().endpoints.dynamodb,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => dynamo.destroy());

function setUp(nowIso = '2026-11-24T10:00:00.000Z') {
  let now = Date.parse(nowIso);
  const repo = makeDynamoResultsExportRepository({
    client: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    tableName: stack().tableName,
    now: () => now,
  });
  const accountId = `acc-${randomUUID()}`;
  const record = (id: string): ResultsExport => ({
    id,
    accountId,
    batchId: 'b1',
    format: 'xlsx',
    status: 'pending',
    createdAt: nowIso,
    updatedAt: nowIso,
    expiresAt: '2026-12-01T10:00:00.000Z',
  });
  const advanceTo = (iso: string) => {
    now = Date.parse(iso);
  };
  return { repo, accountId, record, advanceTo };
}

describe('DynamoDB results exports (DynamoDB Local)', () => {
  it('takes a free slot once, replaces it only on the export it holds, and moves states conditionally', async () => {
    // Arrange
    const { repo, accountId, record } = setUp();

    // Act
    const first = await repo.create(record('e1'), 'xlsx#-');
    const taken = await repo.create(record('e2'), 'xlsx#-');
    const wrongReplace = await repo.create(record('e3'), 'xlsx#-', 'e9');
    const running = await repo.update(
      { accountId, batchId: 'b1', exportId: 'e1' },
      { status: 'running', updatedAt: 'x' },
      ['pending'],
    );
    const notPending = await repo.update(
      { accountId, batchId: 'b1', exportId: 'e1' },
      { status: 'failed', updatedAt: 'y' },
      ['pending'],
    );
    const ready = await repo.update(
      { accountId, batchId: 'b1', exportId: 'e1' },
      { status: 'ready', fileKey: 'k', rows: 3, bytes: 10, updatedAt: 'z' },
      ['running'],
    );
    const replaced = await repo.create(record('e4'), 'xlsx#-', 'e1');

    // Assert
    expect([first, taken, wrongReplace, replaced]).toEqual([true, false, false, true]);
    expect(running?.status).toBe('running');
    expect(notPending).toBeUndefined();
    expect(ready).toMatchObject({ id: 'e1', status: 'ready', fileKey: 'k', rows: 3, bytes: 10 });
    expect(ready?.expiresAt).toBe('2026-12-01T10:00:00.000Z');
    expect(await repo.slot(accountId, 'b1', 'xlsx#-')).toBe('e4');
    expect(await repo.get(accountId, 'b1', 'e2')).toBeUndefined(); // the refused create wrote nothing
    expect(await repo.get('another-account', 'b1', 'e1')).toBeUndefined();
  });

  it('reads an expired export as gone but keeps its slot value for the replacing create', async () => {
    // Arrange
    const { repo, accountId, record, advanceTo } = setUp();
    await repo.create(record('e1'), 'csv#Kkey');

    // Act
    advanceTo('2026-12-01T10:00:01.000Z');

    // Assert
    expect(await repo.get(accountId, 'b1', 'e1')).toBeUndefined();
    expect(await repo.slot(accountId, 'b1', 'csv#Kkey')).toBe('e1');
    expect(await repo.create(record('e2'), 'csv#Kkey')).toBe(false);
    expect(await repo.create(record('e2'), 'csv#Kkey', 'e1')).toBe(true);
  });
});
