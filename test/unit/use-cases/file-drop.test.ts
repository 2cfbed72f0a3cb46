import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account/account';
import type { Batch } from '#domain/batch/batch';
import type { BatchRepository, Upload } from '#ports/batch-repository';
import type { FileDropRecord, FileDropRepository } from '#ports/file-drops';
import type { ObjectStore } from '#ports/object-store';
import type { WorkflowStarter } from '#ports/workflows';
import {
  dropIds,
  type FileDropDeps,
  MAX_SIDECAR_BYTES,
  parseDropKey,
  receiveFileDrop,
} from '#use-cases/batches/file-drop';
import { fixedClock } from '../../support/in-memory';
import { InMemoryAccounts, platformAccount } from '../../support/in-memory-platform';

const ACCOUNT = 'acc1';
const NOW = '2026-11-24T10:00:00.000Z';
const CSV = `drops/${ACCOUNT}/clients.csv`;
const SIDECAR = `${CSV}.json`;
const SETTINGS = { name: 'Toamnă', firstRow: 2, phoneColumn: 'A', text: 'Salut #Prenume!' };

/** The batch repository as far as a drop uses it, with the adapter's conditional creates. */
class InMemoryBatches {
  readonly uploads = new Map<string, Upload>();
  readonly batches = new Map<string, Batch>();
  async createUpload(upload: Upload) {
    if (this.uploads.has(`${upload.accountId}/${upload.id}`)) throw new Error('ConditionalCheckFailed');
    this.uploads.set(`${upload.accountId}/${upload.id}`, upload);
  }
  async getUpload(accountId: string, uploadId: string) {
    return this.uploads.get(`${accountId}/${uploadId}`);
  }
  async create(batch: Batch) {
    if (this.batches.has(`${batch.accountId}/${batch.id}`)) throw new Error('ConditionalCheckFailed');
    this.batches.set(`${batch.accountId}/${batch.id}`, batch);
  }
  async get(accountId: string, batchId: string) {
    return this.batches.get(`${accountId}/${batchId}`);
  }
}

class InMemoryFiles implements Pick<ObjectStore, 'size' | 'read' | 'write'> {
  readonly objects = new Map<string, Uint8Array>();
  readonly written: string[] = [];
  put(key: string, body: string | Uint8Array) {
    this.objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }
  async size(key: string) {
    return this.objects.get(key)?.byteLength;
  }
  async read(key: string) {
    const body = this.objects.get(key);
    if (!body) throw new Error(`NoSuchKey ${key}`);
    return body;
  }
  async write(key: string) {
    this.written.push(key);
  }
}

class InMemoryDrops implements FileDropRepository {
  readonly records = new Map<string, FileDropRecord>();
  async record(drop: FileDropRecord) {
    this.records.set(`${drop.accountId}/${drop.key}`, drop);
  }
  async get(accountId: string, key: string) {
    return this.records.get(`${accountId}/${key}`);
  }
}

function arrange(accounts: Account[] = [platformAccount({ id: ACCOUNT, senderIds: ['Shop'] })]) {
  const batches = new InMemoryBatches();
  const files = new InMemoryFiles();
  const drops = new InMemoryDrops();
  const started: { workflow: string; name: string; input: Record<string, unknown> }[] = [];
  const workflows: WorkflowStarter = {
    start: async (workflow, name, input) => {
      started.push({ workflow, name, input });
    },
  };
  const deps: FileDropDeps = {
    accounts: new InMemoryAccounts(...accounts),
    // Only uploads and batch create/get are used by a drop.
    batches: batches as unknown as BatchRepository,
    files: files as unknown as ObjectStore,
    drops,
    workflows,
    clock: fixedClock(NOW),
  };
  return { deps, batches, files, drops, started };
}

const json = (value: unknown) => JSON.stringify(value);

describe('receiveFileDrop: a sidecar and its file become a batch', () => {
  it('creates the batch from the dropped file (no copy), with the sidecar settings, and starts its analysis', async () => {
    // Arrange
    const { deps, batches, files, drops, started } = arrange();
    files.put(CSV, 'Telefon,Prenume\n0721000011,Ana\n');
    files.put(SIDECAR, json({ ...SETTINGS, from: 'Shop', speed: 5, dedup: false }));
    const { uploadId, batchId } = dropIds(SIDECAR, 'SEQ1');

    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(result).toEqual({ outcome: 'created', accountId: ACCOUNT, batchId });
    expect(await batches.getUpload(ACCOUNT, uploadId)).toEqual({
      id: uploadId,
      accountId: ACCOUNT,
      fileName: 'clients.csv',
      contentType: 'text/csv',
      key: CSV,
      createdAt: NOW,
    });
    expect(files.written).toEqual([]);
    expect(await batches.get(ACCOUNT, batchId)).toMatchObject({
      id: batchId,
      accountId: ACCOUNT,
      name: 'Toamnă',
      status: 'analysing',
      uploadId,
      mapping: { firstRow: 2, phoneColumn: 'A', text: 'Salut #Prenume!' },
      options: { from: 'Shop', speed: 5, dedup: false, blocklist: true, missingValues: 'empty' },
    });
    expect((await batches.get(ACCOUNT, batchId))?.options).not.toHaveProperty('autoStart');
    expect(await batches.get(ACCOUNT, batchId)).not.toHaveProperty('autoStart');
    expect(started).toEqual([
      { workflow: 'analyseBatch', name: `analyse-${batchId}`, input: { accountId: ACCOUNT, batchId } },
    ]);
    expect(await drops.get(ACCOUNT, SIDECAR)).toEqual({
      accountId: ACCOUNT,
      key: SIDECAR,
      sequencer: 'SEQ1',
      at: NOW,
      status: 'accepted',
      batchId,
      uploadId,
    });
  });

  it('autoStart: true marks the batch to start once analysed (the analysis starts it)', async () => {
    // Arrange
    const { deps, batches, files, started } = arrange();
    files.put(CSV, 'Telefon,Prenume\n0721000011,Ana\n');
    files.put(SIDECAR, json({ ...SETTINGS, autoStart: true }));
    const { batchId } = dropIds(SIDECAR, 'SEQ1');

    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(result).toEqual({ outcome: 'created', accountId: ACCOUNT, batchId });
    expect(await batches.get(ACCOUNT, batchId)).toMatchObject({ status: 'analysing', autoStart: true });
    expect((await batches.get(ACCOUNT, batchId))?.options).not.toHaveProperty('autoStart');
    expect(started.map((s) => s.workflow)).toEqual(['analyseBatch']);
  });

  it.each([
    ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['xls', 'application/vnd.ms-excel'],
  ])('a .%s drop records its content type', async (extension, contentType) => {
    // Arrange
    const { deps, batches, files } = arrange();
    const workbook = `drops/${ACCOUNT}/2026/Clienți.${extension}`;
    files.put(workbook, new Uint8Array([0x50, 0x4b, 3, 4]));
    files.put(`${workbook}.json`, json({ ...SETTINGS, sheet: 'Clienți' }));

    // Act
    const result = await receiveFileDrop(deps, { key: `${workbook}.json` });

    // Assert
    expect(result.outcome).toBe('created');
    expect([...batches.uploads.values()][0]).toMatchObject({
      key: workbook,
      fileName: `Clienți.${extension}`,
      contentType,
    });
  });

  it('a redelivered event creates nothing twice', async () => {
    // Arrange
    const { deps, batches, files, started } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    const first = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });
    const [batch] = batches.batches.values();
    if (batch) batches.batches.set(`${ACCOUNT}/${batch.id}`, { ...batch, status: 'ready' });

    // Act
    const again = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(again).toEqual({
      outcome: 'duplicate',
      accountId: ACCOUNT,
      batchId: (first as { batchId: string }).batchId,
    });
    expect(batches.batches.size).toBe(1);
    expect(batches.uploads.size).toBe(1);
    expect(started).toHaveLength(1);
  });

  it('a redelivery finding the batch still analysing starts its workflow again (idempotent by name)', async () => {
    // Arrange
    const { deps, files, started } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Act
    const again = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(again.outcome).toBe('duplicate');
    expect(started.map((s) => s.name)).toEqual([started[0]?.name, started[0]?.name]);
  });

  it('a delivery after a crash between the upload and the batch finishes the job', async () => {
    // Arrange: the upload of this drop is already recorded, the batch is not.
    const { deps, batches, files } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    const { uploadId, batchId } = dropIds(SIDECAR, 'SEQ1');
    await batches.createUpload({
      id: uploadId,
      accountId: ACCOUNT,
      fileName: 'clients.csv',
      contentType: 'text/csv',
      key: CSV,
      createdAt: NOW,
    });

    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(result).toEqual({ outcome: 'created', accountId: ACCOUNT, batchId });
    expect(batches.uploads.size).toBe(1);
  });

  it('does not depend on reading its own upload back (DynamoDB reads are eventually consistent)', async () => {
    // Arrange: uploads written now are not visible to reads yet.
    const { deps, batches, files } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    batches.getUpload = async () => undefined;

    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Assert
    expect(result.outcome).toBe('created');
  });

  it('a new PUT of the same sidecar (new sequencer) is a new drop', async () => {
    // Arrange
    const { deps, batches, files } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ1' });

    // Act
    const next = await receiveFileDrop(deps, { key: SIDECAR, sequencer: 'SEQ2' });

    // Assert
    expect(next.outcome).toBe('created');
    expect(batches.batches.size).toBe(2);
  });

  it('takes the account from the key prefix only', async () => {
    // Arrange: acc2's prefix; acc1 in the sidecar is refused as an unknown field.
    const other = platformAccount({ id: 'acc2', senderIds: ['Other'] });
    const { deps, batches, files } = arrange([platformAccount({ id: ACCOUNT }), other]);
    const key = 'drops/acc2/list.csv';
    files.put(key, 'x');
    files.put(`${key}.json`, json({ ...SETTINGS, accountId: ACCOUNT }));
    files.put(`drops/acc2/ok.csv`, 'x');
    files.put(`drops/acc2/ok.csv.json`, json(SETTINGS));

    // Act
    const smuggled = await receiveFileDrop(deps, { key: `${key}.json` });
    const plain = await receiveFileDrop(deps, { key: 'drops/acc2/ok.csv.json' });

    // Assert
    expect(smuggled).toMatchObject({ outcome: 'rejected', accountId: 'acc2', code: 'VALIDATION_FAILED' });
    expect(plain).toMatchObject({ outcome: 'created', accountId: 'acc2' });
    expect([...batches.batches.values()].map((b) => b.accountId)).toEqual(['acc2']);
  });
});

describe('receiveFileDrop: refusals are recorded, never thrown', () => {
  it.each([
    ['uploads/acc1/x.json'],
    ['drops/acc1/clients.csv'],
    ['drops/clients.csv.json'],
    ['drops//clients.csv.json'],
    ['batches/acc1/b1/ready/00000.jsonl'],
  ])('%s is not a sidecar: ignored, nothing recorded', async (key) => {
    // Arrange
    const { deps, drops } = arrange();
    // Act
    const result = await receiveFileDrop(deps, { key });
    // Assert
    expect(result).toEqual({ outcome: 'ignored', key });
    expect(drops.records.size).toBe(0);
  });

  const cases: [string, (a: ReturnType<typeof arrange>) => void, string][] = [
    [
      'bad JSON',
      ({ files }) => {
        files.put(CSV, 'x');
        files.put(SIDECAR, '{ "name": "Toamnă", ');
      },
      'INVALID_JSON',
    ],
    [
      'not UTF-8',
      ({ files }) => {
        files.put(CSV, 'x');
        files.put(SIDECAR, new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
      },
      'INVALID_JSON',
    ],
    [
      'a JSON array',
      ({ files }) => {
        files.put(CSV, 'x');
        files.put(SIDECAR, '[]');
      },
      'VALIDATION_FAILED',
    ],
    ['the file missing', ({ files }) => files.put(SIDECAR, json(SETTINGS)), 'FILE_MISSING'],
    [
      'a sender the account may not use',
      ({ files }) => {
        files.put(CSV, 'x');
        files.put(SIDECAR, json({ ...SETTINGS, from: 'Stranger' }));
      },
      'SENDER_NOT_ALLOWED',
    ],
    [
      'a sidecar that is too big',
      ({ files }) => {
        files.put(CSV, 'x');
        files.put(SIDECAR, json({ ...SETTINGS, text: 'x'.repeat(MAX_SIDECAR_BYTES) }));
      },
      'SIDECAR_TOO_LARGE',
    ],
  ];

  it.each(cases)('%s: refused with its reason, no batch', async (_name, setUp, code) => {
    // Arrange
    const arranged = arrange();
    setUp(arranged);

    // Act
    const result = await receiveFileDrop(arranged.deps, { key: SIDECAR, sequencer: 'S' });

    // Assert
    expect(result).toMatchObject({ outcome: 'rejected', accountId: ACCOUNT, key: SIDECAR, code });
    expect(arranged.batches.batches.size).toBe(0);
    expect(arranged.started).toEqual([]);
    expect(await arranged.drops.get(ACCOUNT, SIDECAR)).toMatchObject({
      status: 'rejected',
      code,
      sequencer: 'S',
      at: NOW,
      reason: expect.any(String),
    });
  });

  it('bad fields: every problem named with its path', async () => {
    // Arrange
    const { deps, files, drops } = arrange();
    files.put(CSV, 'x');
    files.put(
      SIDECAR,
      json({
        name: '',
        firstRow: 0,
        phoneColumn: 'A1',
        messageColumn: 'B',
        text: 'both',
        speed: -1,
        extra: 1,
      }),
    );

    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR });

    // Assert
    expect(result.outcome).toBe('rejected');
    const record = await drops.get(ACCOUNT, SIDECAR);
    const paths = ((record as { details: { path: string }[] }).details ?? []).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'firstRow', 'phoneColumn', 'speed', '']));
    expect((record as { reason: string }).reason).toMatch(/^The sidecar is invalid: /);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    // Arrange
    const { deps, files } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, `\uFEFF${json(SETTINGS)}`);
    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR });
    // Assert
    expect(result.outcome).toBe('created');
  });

  it('an unknown account: refused and recorded under the key prefix', async () => {
    // Arrange
    const { deps, files, drops } = arrange();
    files.put('drops/nobody/a.csv', 'x');
    files.put('drops/nobody/a.csv.json', json(SETTINGS));
    // Act
    const result = await receiveFileDrop(deps, { key: 'drops/nobody/a.csv.json' });
    // Assert
    expect(result).toMatchObject({ outcome: 'rejected', accountId: 'nobody', code: 'UNKNOWN_ACCOUNT' });
    expect(await drops.get('nobody', 'drops/nobody/a.csv.json')).toMatchObject({ code: 'UNKNOWN_ACCOUNT' });
  });

  it.each([
    ['suspended', [platformAccount({ id: ACCOUNT, status: 'suspended' })]],
    [
      'a subuser of a suspended parent',
      [
        platformAccount({ id: 'parent', status: 'suspended' }),
        platformAccount({ id: ACCOUNT, parentId: 'parent' }),
      ],
    ],
  ])('an account that is %s: refused', async (_name, accounts) => {
    // Arrange
    const { deps, files, batches } = arrange(accounts as Account[]);
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    // Act
    const result = await receiveFileDrop(deps, { key: SIDECAR });
    // Assert
    expect(result).toMatchObject({ outcome: 'rejected', code: 'ACCOUNT_NOT_ACTIVE' });
    expect(batches.batches.size).toBe(0);
  });

  it('a sidecar named after a file that is not xlsx, xls or csv: refused', async () => {
    // Arrange
    const { deps, files } = arrange();
    files.put('drops/acc1/list.txt.json', json(SETTINGS));
    // Act
    const result = await receiveFileDrop(deps, { key: 'drops/acc1/list.txt.json' });
    // Assert
    expect(result).toMatchObject({ outcome: 'rejected', code: 'UNSUPPORTED_FILE' });
  });

  it('an infrastructure error is thrown (for the event to be retried), not recorded', async () => {
    // Arrange
    const { deps, files, drops } = arrange();
    files.put(CSV, 'x');
    files.put(SIDECAR, json(SETTINGS));
    files.read = () => Promise.reject(new Error('S3 is down'));
    // Act / Assert
    await expect(receiveFileDrop(deps, { key: SIDECAR })).rejects.toThrow('S3 is down');
    expect(drops.records.size).toBe(0);
  });
});

describe('parseDropKey and dropIds', () => {
  it('reads the account and the data file from the sidecar key', () => {
    // Assert
    expect(parseDropKey('drops/acc1/sub/List 1.xlsx.json')).toEqual({
      accountId: 'acc1',
      dataKey: 'drops/acc1/sub/List 1.xlsx',
      fileName: 'List 1.xlsx',
      kind: 'xlsx',
    });
    expect(parseDropKey('drops/acc1/list.xls.json')?.kind).toBe('xls');
    expect(parseDropKey('drops/acc1/list.json')?.kind).toBeUndefined();
  });

  it('ids depend on the key and the sequencer, deterministically', () => {
    // Assert
    expect(dropIds(SIDECAR, 'A')).toEqual(dropIds(SIDECAR, 'A'));
    expect(dropIds(SIDECAR, 'A').batchId).not.toBe(dropIds(SIDECAR, 'B').batchId);
    expect(dropIds(SIDECAR).batchId).toMatch(/^drop-[0-9a-f]{26}$/);
  });
});
