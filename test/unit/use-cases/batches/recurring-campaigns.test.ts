import { describe, expect, it } from 'vitest';
import type { Batch } from '#domain/batch/batch';
import {
  checkCron,
  nextRunAt,
  occurrenceName,
  type RecurringCampaign,
} from '#domain/batch/recurring-campaign';
import type { BatchRepository, Upload } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import type { RecurringCampaignChanges, RecurringCampaignRepository } from '#ports/recurring-campaigns';
import type { Caller } from '#use-cases/accounts';
import { deleteRecurringCampaign, type RecurringDeps } from '#use-cases/batches/recurring-campaigns';
import {
  type OccurrenceDeps,
  occurrenceBatchId,
  runRecurringCampaign,
} from '#use-cases/batches/run-recurring-campaign';
import { fixedClock } from '../../../support/in-memory';
import { InMemoryAccounts, platformAccount } from '../../../support/in-memory-platform';

const ACCOUNT = 'acc1';
const SOURCE = `recurring/${ACCOUNT}/c1/source.csv`;

function campaign(overrides: Partial<RecurringCampaign> = {}): RecurringCampaign {
  return {
    id: 'c1',
    accountId: ACCOUNT,
    name: 'Weekly',
    cron: '0 9 ? * MON *',
    timezone: 'Europe/Bucharest',
    state: 'active',
    source: { key: SOURCE, fileName: 'subscribers.csv', contentType: 'text/csv' },
    mapping: { firstRow: 2, phoneColumn: 'A', text: 'Hi #Name' },
    options: { speed: 0, dedup: true, blocklist: true, smartEncoding: false, missingValues: 'empty' },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Uploads and batches with the adapter's conditional creates; the campaign with its `lastRun` updates. */
function arrange(saved: RecurringCampaign | null = campaign()) {
  const uploads = new Map<string, Upload>();
  const batches = new Map<string, Batch>();
  const started: string[] = [];
  let current = saved ?? undefined;
  const repo = {
    createUpload: async (u: Upload) => {
      if (uploads.has(u.id)) throw new Error('ConditionalCheckFailed');
      uploads.set(u.id, u);
    },
    getUpload: async (_a: string, id: string) => uploads.get(id),
    create: async (b: Batch) => {
      if (batches.has(b.id)) throw new Error('ConditionalCheckFailed');
      batches.set(b.id, b);
    },
    get: async (_a: string, id: string) => batches.get(id),
  };
  const campaigns = {
    get: async () => current,
    update: async (_a: string, _id: string, changes: RecurringCampaignChanges) => {
      current = current && { ...current, ...changes };
      return current;
    },
  } as Pick<RecurringCampaignRepository, 'get' | 'update'>;
  const deps: OccurrenceDeps = {
    accounts: new InMemoryAccounts(platformAccount({ id: ACCOUNT, senderIds: ['Shop'] })),
    batches: repo as unknown as BatchRepository,
    campaigns,
    files: { size: async (key: string) => (key === SOURCE ? 120 : undefined) } as unknown as ObjectStore,
    workflows: {
      start: async (_w, name) => {
        started.push(name);
      },
    },
    clock: fixedClock('2026-11-30T07:00:01.000Z'),
  };
  return { deps, batches, uploads, started, current: () => current };
}

const FIRING = { accountId: ACCOUNT, campaignId: 'c1', scheduledAt: '2026-11-30T07:00:00Z' };

describe('runRecurringCampaign: one firing, one batch', () => {
  it('makes a batch from the campaign file, named after the firing in its time zone, set to start itself', async () => {
    // Arrange
    const { deps, batches, uploads, started, current } = arrange();
    const batchId = occurrenceBatchId('c1', FIRING.scheduledAt);

    // Act
    const outcome = await runRecurringCampaign(deps, FIRING);

    // Assert
    expect(outcome).toEqual({ outcome: 'created', batchId });
    expect(batches.get(batchId)).toMatchObject({
      name: 'Weekly 2026-11-30 09:00',
      status: 'analysing',
      autoStart: true,
      uploadId: batchId,
      mapping: { text: 'Hi #Name' },
      options: { from: 'Shop' },
    });
    expect(uploads.get(batchId)).toMatchObject({ key: SOURCE, contentType: 'text/csv' });
    expect(started).toEqual([`analyse-${batchId}`]);
    expect(current()?.lastRun).toEqual({ scheduledAt: '2026-11-30T07:00:00.000Z', batchId });
  });

  it('a firing delivered twice makes one batch (idempotent on the firing time)', async () => {
    // Arrange
    const { deps, batches } = arrange();

    // Act
    const first = await runRecurringCampaign(deps, FIRING);
    const again = await runRecurringCampaign(deps, { ...FIRING, scheduledAt: '2026-11-30T07:00:00.000Z' });
    const next = await runRecurringCampaign(deps, { ...FIRING, scheduledAt: '2026-12-07T07:00:00Z' });

    // Assert
    expect(again).toEqual({ outcome: 'duplicate', batchId: (first as { batchId: string }).batchId });
    expect(next.outcome).toBe('created');
    expect(batches.size).toBe(2);
  });

  it('a paused or deleted campaign makes nothing', async () => {
    // Arrange
    const paused = arrange(campaign({ state: 'paused' }));
    const deleted = arrange(null);

    // Act
    const outcomes = [
      await runRecurringCampaign(paused.deps, FIRING),
      await runRecurringCampaign(deleted.deps, FIRING),
    ];

    // Assert
    expect(outcomes.map((o) => o.outcome)).toEqual(['ignored', 'ignored']);
    expect(paused.batches.size + deleted.batches.size).toBe(0);
  });

  it('settings no longer valid (a withdrawn sender): no batch, the reason in lastRun', async () => {
    // Arrange
    const { deps, batches, current } = arrange(
      campaign({ options: { ...campaign().options, from: 'Gone' } }),
    );

    // Act
    const outcome = await runRecurringCampaign(deps, FIRING);

    // Assert
    expect(outcome).toMatchObject({ outcome: 'rejected', code: 'SENDER_NOT_ALLOWED' });
    expect(batches.size).toBe(0);
    expect(current()?.lastRun?.error?.code).toBe('SENDER_NOT_ALLOWED');
  });
});

describe('recurring campaign rules', () => {
  const now = new Date('2026-11-24T12:00:00Z');

  it('accepts cron(...) or its 6 fields, and refuses what Scheduler refuses', () => {
    expect(checkCron('cron(0 9 ? * MON-FRI *)', 'Europe/Bucharest', now)).toEqual({
      ok: true,
      cron: '0 9 ? * MON-FRI *',
    });
    expect(checkCron(' 0  9 1 * ?  * ', 'UTC', now)).toEqual({ ok: true, cron: '0 9 1 * ? *' });
    expect(checkCron('0 9 * * * *', 'UTC', now)).toMatchObject({ ok: false, reason: /Exactly one/ });
    expect(checkCron('rate(1 day)', 'UTC', now)).toMatchObject({ ok: false });
    expect(checkCron('0 9 1 1 ? 2020', 'UTC', now)).toMatchObject({ ok: false, reason: /never fires/ });
  });

  it('next run in the time zone (09:00 Bucharest is 07:00Z in winter); none while paused', () => {
    const weekly = { cron: '0 9 ? * MON *', timezone: 'Europe/Bucharest', state: 'active' as const };
    expect(nextRunAt(weekly, now)?.toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextRunAt({ ...weekly, state: 'paused' }, now)).toBeUndefined();
  });

  it("names an occurrence after the firing time in the campaign's time zone", () => {
    expect(occurrenceName('Promo', new Date('2026-12-31T22:30:00Z'), 'Europe/Bucharest')).toBe(
      'Promo 2027-01-01 00:30',
    );
  });
});

describe('deleteRecurringCampaign: nothing of the campaign is left behind', () => {
  function arrangeDelete(options: { fileDeleteFails?: boolean } = {}) {
    const calls: string[] = [];
    let saved: RecurringCampaign | undefined = campaign();
    const deps = {
      campaigns: {
        get: async () => saved,
        delete: async (_a: string, id: string) => {
          calls.push(`definition ${id}`);
          saved = undefined;
        },
      },
      schedules: { delete: async (name: string) => void calls.push(`schedule ${name}`) },
      files: {
        delete: async (key: string) => {
          if (options.fileDeleteFails) throw new Error('S3 unavailable');
          calls.push(`file ${key}`);
        },
      },
    } as unknown as RecurringDeps;
    return { deps, calls, saved: () => saved };
  }
  const caller = { accountId: ACCOUNT, keyId: 'k1', account: platformAccount({ id: ACCOUNT }) } as Caller;

  it('deletes the schedule, then the kept file (phone numbers), then the definition', async () => {
    // Arrange
    const { deps, calls } = arrangeDelete();

    // Act
    await deleteRecurringCampaign(deps, caller, 'c1');

    // Assert
    expect(calls).toEqual(['schedule recurring-c1', `file ${SOURCE}`, 'definition c1']);
  });

  it('keeps the definition when the file cannot be deleted, so deleting again finishes the job', async () => {
    // Arrange
    const { deps, saved } = arrangeDelete({ fileDeleteFails: true });

    // Act
    const attempt = deleteRecurringCampaign(deps, caller, 'c1');

    // Assert
    await expect(attempt).rejects.toThrow('S3 unavailable');
    expect(saved()?.id).toBe('c1');
  });
});
