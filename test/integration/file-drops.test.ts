import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDynamoFileDropRepository } from '#adapters/dynamodb/file-drop-repository';
import type { FileDropRecord } from '#ports/file-drops';
import { BUCKETS, objectKeys } from '#topology/workflows';
import { encodeS3Key } from '../../local/s3-event-bridge';
import { makeLambdaContext } from '../../local/sqs-poller';
import { call, eventually, mobiles, national, newAccount, simMessages, stack } from '../support/api';
import { xlsWorkbook } from '../support/xls-fixtures';

interface BatchBody {
  id: string;
  name: string;
  status: string;
  uploadId: string;
  reason?: string;
  summary?: { rows: number; valid: number; invalid: number; duplicates: number; messages: number };
}

const Bucket = BUCKETS.uploads.localName;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const s3 = new S3Client({
  endpoint: stack().endpoints.s3,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials,
});
const dynamo = new DynamoDBClient({ endpoint: stack().endpoints.dynamodb, region: 'us-east-1', credentials });
const drops = makeDynamoFileDropRepository({
  client: DynamoDBDocumentClient.from(dynamo),
  tableName: stack().tableName,
});

afterAll(() => {
  s3.destroy();
  dynamo.destroy();
});

/** What an operator-side integration does: a plain S3 PutObject under the account's drop prefix. */
async function put(key: string, body: string | Uint8Array, contentType = 'text/csv') {
  await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
}

async function batchesOf(apiKey: string) {
  const listed = await call<{ items: BatchBody[] }>('GET', '/v1/batches?limit=100', { key: apiKey });
  expect(listed.status).toBe(200);
  return listed.body.items;
}

const recordOf = (accountId: string, key: string) =>
  eventually(
    () => drops.get(accountId, key),
    (r) => r !== undefined,
    { timeoutMs: 15_000 },
  ) as Promise<FileDropRecord>;

/** Distinct Romanian mobiles, national (07x xxx xxxx), ending in 11 (delivered by the simulator). */
function uniqueMobiles(count: number) {
  return mobiles(count).map(national);
}

function csv(rows: string[][]) {
  return `${[['Telefon', 'Prenume'], ...rows].map((r) => r.join(',')).join('\n')}\n`;
}

const SETTINGS = { name: 'Drop de toamnă', firstRow: 2, phoneColumn: 'A', text: 'Salut #Prenume!' };

describe('S3 file drops: a file and its sidecar under drops/<accountId>/ become a batch', () => {
  it('the batch appears for the account of the key and stops at ready with the summary', async () => {
    // Arrange: 6 rows: 4 valid, 1 invalid number, 1 duplicate.
    const account = await newAccount('10.0000');
    const [a, b, c, d] = uniqueMobiles(4).map(String);
    const file = `${objectKeys.dropPrefix(account.id)}clienți noiembrie.csv`;
    await put(
      file,
      csv([
        [a ?? '', 'Ana'],
        [b ?? '', 'Ștefan'],
        ['0712', 'Greșit'],
        [c ?? '', 'Țuțu'],
        [b ?? '', 'Ștefan'],
        [d ?? '', 'Ion'],
      ]),
    );

    // Act: the sidecar's arrival starts it.
    await put(`${file}.json`, JSON.stringify(SETTINGS), 'application/json');

    // Assert
    const [created] =
      (await eventually(
        () => batchesOf(account.apiKey),
        (items) => items.length > 0,
      )) ?? [];
    expect(created).toMatchObject({ name: 'Drop de toamnă', uploadId: expect.stringMatching(/^drop-/) });
    const ready = (
      await eventually(
        () => call<BatchBody>('GET', `/v1/batches/${created?.id}`, { key: account.apiKey }),
        (r) => r.body.status !== 'analysing',
        { timeoutMs: 45_000 },
      )
    ).body;
    expect(ready.status).toBe('ready');
    expect(ready.summary).toMatchObject({ rows: 6, valid: 4, invalid: 1, duplicates: 1, messages: 4 });
    expect(await recordOf(account.id, `${file}.json`)).toMatchObject({
      status: 'accepted',
      batchId: created?.id,
    });
    const rows = await call<{ items: { text?: string }[] }>(
      'GET',
      `/v1/batches/${created?.id}/rows?limit=2`,
      {
        key: account.apiKey,
      },
    );
    expect(rows.body.items[1]?.text).toBe('Salut Ștefan!');
  });

  it('an Excel 97-2003 .xls drop is read like an xlsx (numbers as numbers, a named sheet)', async () => {
    // Arrange
    const account = await newAccount('10.0000');
    const [a, b] = uniqueMobiles(2).map((n) => Number(`40${n.slice(1)}`));
    const file = `${objectKeys.dropPrefix(account.id)}agenda-2003.xls`;
    const workbook = xlsWorkbook([
      { name: 'Note', rows: [['Foaia cu clienți e a doua']] },
      {
        name: 'Clienți',
        rows: [
          ['Telefon', 'Prenume'],
          [a ?? 0, 'Ștefan'],
          [b ?? 0, 'Ioana'],
        ],
      },
    ]);
    await put(file, workbook, 'application/vnd.ms-excel');

    // Act
    await put(`${file}.json`, JSON.stringify({ ...SETTINGS, sheet: 'Clienți' }), 'application/json');

    // Assert
    const [created] =
      (await eventually(
        () => batchesOf(account.apiKey),
        (items) => items.length > 0,
      )) ?? [];
    const ready = (
      await eventually(
        () => call<BatchBody>('GET', `/v1/batches/${created?.id}`, { key: account.apiKey }),
        (r) => r.body.status !== 'analysing',
        { timeoutMs: 45_000 },
      )
    ).body;
    expect(ready).toMatchObject({ status: 'ready', summary: { rows: 2, valid: 2, messages: 2 } });
    const rows = await call<{ items: { to?: string; text?: string }[] }>(
      'GET',
      `/v1/batches/${created?.id}/rows?limit=2`,
      { key: account.apiKey },
    );
    expect(rows.body.items.map((r) => [r.to, r.text])).toEqual([
      [`+${a}`, 'Salut Ștefan!'],
      [`+${b}`, 'Salut Ioana!'],
    ]);
  });

  it('a sidecar naming a missing file creates no batch and is recorded', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const sidecar = `${objectKeys.dropPrefix(account.id)}nowhere.xlsx.json`;

    // Act
    await put(sidecar, JSON.stringify(SETTINGS), 'application/json');

    // Assert
    expect(await recordOf(account.id, sidecar)).toMatchObject({
      status: 'rejected',
      code: 'FILE_MISSING',
      reason: expect.stringContaining('nowhere.xlsx'),
    });
    expect(await batchesOf(account.apiKey)).toEqual([]);
  });

  it('a sidecar that is not JSON creates no batch and is recorded', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const file = `${objectKeys.dropPrefix(account.id)}list.csv`;
    await put(file, csv([[uniqueMobiles(1)[0] ?? '', 'Ana']]));

    // Act
    await put(`${file}.json`, '{ "name": "half a sidecar", ', 'application/json');

    // Assert
    expect(await recordOf(account.id, `${file}.json`)).toMatchObject({
      status: 'rejected',
      code: 'INVALID_JSON',
    });
    expect(await batchesOf(account.apiKey)).toEqual([]);
  });

  it("the key decides the account: another account's prefix never makes a batch for the wrong one", async () => {
    // Arrange: A's integration writes under B's prefix, naming A in the sidecar.
    const a = await newAccount('1.0000');
    const b = await newAccount('1.0000');
    const underB = `${objectKeys.dropPrefix(b.id)}from-a.csv`;
    await put(underB, csv([[uniqueMobiles(1)[0] ?? '', 'Ana']]));
    // ...and A's sidecar for a file that only exists under B's prefix.
    const underA = `${objectKeys.dropPrefix(a.id)}from-a.csv.json`;

    // Act
    await put(`${underB}.json`, JSON.stringify({ ...SETTINGS, accountId: a.id }), 'application/json');
    await put(underA, JSON.stringify(SETTINGS), 'application/json');

    // Assert
    expect(await recordOf(b.id, `${underB}.json`)).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION_FAILED',
      reason: expect.stringContaining('accountId'),
    });
    expect(await recordOf(a.id, underA)).toMatchObject({ status: 'rejected', code: 'FILE_MISSING' });
    expect(await batchesOf(a.apiKey)).toEqual([]);
    expect(await batchesOf(b.apiKey)).toEqual([]);

    // Act: the same drop without the stray field lands in B, the key's account.
    await put(`${underB}.json`, JSON.stringify(SETTINGS), 'application/json');

    // Assert
    await eventually(
      () => batchesOf(b.apiKey),
      (items) => items.length === 1,
    );
    expect(await batchesOf(a.apiKey)).toEqual([]);
  });

  it('a redelivered event creates no second batch; a new PUT of the sidecar is a new drop', async () => {
    // Arrange: one drop, delivered by the local S3 → EventBridge bridge.
    const account = await newAccount('1.0000');
    const file = `${objectKeys.dropPrefix(account.id)}again.csv`;
    await put(file, csv([[uniqueMobiles(1)[0] ?? '', 'Ana']]));
    await put(`${file}.json`, JSON.stringify(SETTINGS), 'application/json');
    const [first] = await eventually(
      () => batchesOf(account.apiKey),
      (items) => items.length === 1,
    );
    const record = await recordOf(account.id, `${file}.json`);

    // Act: S3 delivers the same event again (same key and sequencer), twice, to the real handler. The
    // test process inherits the stack's environment from the global setup (table, endpoints, workflows).
    expect(process.env.TABLE_NAME).toBe(stack().tableName);
    const { handler } = (await import('../../functions/receive-file-drop/handler')) as unknown as {
      handler: (event: S3ObjectCreatedNotificationEvent, context: Context) => Promise<void>;
    };
    const redelivered = objectCreated(`${file}.json`, record.sequencer ?? '');
    await handler(redelivered, makeLambdaContext('receive-file-drop'));
    await handler(redelivered, makeLambdaContext('receive-file-drop'));

    // Assert
    expect((await batchesOf(account.apiKey)).map((b) => b.id)).toEqual([first?.id]);
    expect(await drops.get(account.id, `${file}.json`)).toEqual(record);

    // Act: the integration drops the sidecar again (a new PUT: a new event, a new sequencer).
    await put(`${file}.json`, JSON.stringify({ ...SETTINGS, name: 'Again' }), 'application/json');

    // Assert
    const items = await eventually(
      () => batchesOf(account.apiKey),
      (list) => list.length === 2,
    );
    expect(items.map((b) => b.name).sort()).toEqual(['Again', 'Drop de toamnă']);
  });
});

/** The EventBridge "Object Created" event the deployed rule delivers (as local/s3-event-bridge.ts builds it). */
function objectCreated(key: string, sequencer: string): S3ObjectCreatedNotificationEvent {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${Bucket}`],
    detail: {
      version: '0',
      bucket: { name: Bucket },
      object: { key: encodeS3Key(key), size: 0, etag: '', 'version-id': '', sequencer },
      'request-id': 'REDELIVERED',
      requester: '000000000000',
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  };
}

describe('S3 file drops with autoStart: the batch starts once analysed', () => {
  it('autoStart: true starts the batch once analysed, and every message reaches the carrier', async () => {
    // Arrange
    const account = await newAccount('10.0000');
    const numbers = uniqueMobiles(3);
    const file = `${objectKeys.dropPrefix(account.id)}auto.csv`;
    await put(file, csv(numbers.map((n, i) => [n, `Auto${i}`])));

    // Act
    await put(
      `${file}.json`,
      JSON.stringify({ ...SETTINGS, name: 'Auto', autoStart: true }),
      'application/json',
    );

    // Assert: nobody called start, yet it sends and completes
    const [created] = await eventually(
      () => batchesOf(account.apiKey),
      (items) => items.length > 0,
    );
    const done = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${created?.id}`, { key: account.apiKey }),
      (r) => ['completed', 'failed'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );
    expect(done.body).toMatchObject({ status: 'completed', summary: { messages: 3 } });
    const atCarrier = (await simMessages()).filter((m) => numbers.some((n) => m.to === `+4${n}`));
    expect(atCarrier.map((m) => m.text).sort()).toEqual(['Salut Auto0!', 'Salut Auto1!', 'Salut Auto2!']);
  });

  it('autoStart with too little credit: the batch fails with the reason, nothing is sent or reserved', async () => {
    // Arrange: 0.0100 does not cover three messages
    const account = await newAccount('0.0100');
    const numbers = uniqueMobiles(3);
    const file = `${objectKeys.dropPrefix(account.id)}short.csv`;
    await put(file, csv(numbers.map((n) => [n, 'Ana'])));

    // Act
    await put(`${file}.json`, JSON.stringify({ ...SETTINGS, autoStart: true }), 'application/json');

    // Assert
    const [created] = await eventually(
      () => batchesOf(account.apiKey),
      (items) => items.length > 0,
    );
    const failed = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${created?.id}`, { key: account.apiKey }),
      (r) => !['analysing', 'ready'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );
    expect(failed.body.status).toBe('failed');
    expect(failed.body.reason).toMatch(/^Not started automatically \(INSUFFICIENT_CREDIT\)/);
    const balance = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(balance.body.balance).toBe('0.0100');
    expect((await simMessages()).filter((m) => numbers.some((n) => m.to === `+4${n}`))).toEqual([]);
  });
});
