import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { BUCKETS, objectKeys } from '#topology/workflows';
import { call, eventually, mobiles, national, newAccount, simMessages, stack } from '../support/api';

interface Campaign {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  state: 'active' | 'paused';
  nextRunAt?: string;
  lastRun?: { scheduledAt: string; batchId?: string; error?: { code: string; reason: string } };
}
interface BatchBody {
  id: string;
  name: string;
  status: string;
  reason?: string;
  autoStart?: boolean;
  summary?: { messages: number };
}

const GROUP = 'sms-platform-batches';
const scheduler = new SchedulerClient({
  endpoint: stack().endpoints.scheduler,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => scheduler.destroy());

const s3 = new S3Client({
  endpoint: stack().endpoints.s3,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => s3.destroy());

/** The campaign's kept copy of its file (the test uploads csv). */
const sourceOf = (accountId: string, campaignId: string) =>
  s3.send(
    new HeadObjectCommand({
      Bucket: BUCKETS.uploads.localName,
      Key: objectKeys.recurringSource(accountId, campaignId, 'csv'),
    }),
  );

const scheduleOf = (campaignId: string) =>
  scheduler.send(new GetScheduleCommand({ Name: `recurring-${campaignId}`, GroupName: GROUP }));

/** Distinct Romanian mobiles, national (07x xxx xxxx), ending in 11 (delivered by the simulator). */
function uniqueMobiles(count: number) {
  return mobiles(count).map(national);
}

async function uploadCsv(key: string, rows: string[][]) {
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName: 'abonati.csv', contentType: 'text/csv' } },
  );
  expect(created.status).toBe(201);
  const body = `${[['Telefon', 'Prenume'], ...rows].map((r) => r.join(',')).join('\n')}\n`;
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}

const settings = { firstRow: 2, phoneColumn: 'A', text: 'Salut #Prenume, oferta săptămânii!' };

async function createCampaign(key: string, body: Record<string, unknown>) {
  return call<Campaign & { error?: { code: string; message: string } }>('POST', '/v1/recurring-campaigns', {
    key,
    body,
  });
}

describe('recurring campaigns: a saved definition re-runs on a cron, in a time zone', () => {
  it('each firing makes a batch that starts itself and sends; short credit fails it with the reason; delete removes the schedule', {
    timeout: 180_000,
  }, async () => {
    // Arrange: two accounts, one with credit, one without; a campaign each, firing every minute.
    const rich = await newAccount('10.0000');
    const poor = await newAccount('0.0100', { timezone: 'Asia/Tokyo' });
    const numbers = uniqueMobiles(3);
    const richUpload = await uploadCsv(
      rich.apiKey,
      numbers.map((n, i) => [n, `Ana${i}`]),
    );
    const poorUpload = await uploadCsv(poor.apiKey, [[uniqueMobiles(1)[0] ?? '', 'Ion']]);
    const cron = 'cron(* * * * ? *)';

    // Act
    const created = await createCampaign(rich.apiKey, {
      ...settings,
      uploadId: richUpload,
      name: 'Săptămânal',
      cron,
      timezone: 'Europe/Bucharest',
    });
    const short = await createCampaign(poor.apiKey, {
      ...settings,
      uploadId: poorUpload,
      name: 'Fără credit',
      cron,
    });

    // Assert: saved, scheduled in the given (or the account's) time zone
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      cron: '* * * * ? *',
      timezone: 'Europe/Bucharest',
      state: 'active',
    });
    expect(Date.parse(created.body.nextRunAt ?? '') - Date.now()).toBeLessThanOrEqual(60_000);
    expect(short.status).toBe(201);
    expect(short.body.timezone).toBe('Asia/Tokyo');
    expect(await scheduleOf(created.body.id)).toMatchObject({
      ScheduleExpression: 'cron(* * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Bucharest',
      State: 'ENABLED',
    });

    // Assert: the first firing made a batch, named after the firing time, that sent without a start call
    const fired = await eventually(
      () => call<Campaign>('GET', `/v1/recurring-campaigns/${created.body.id}`, { key: rich.apiKey }),
      (r) => r.body.lastRun?.batchId !== undefined,
      { timeoutMs: 75_000, intervalMs: 500 },
    );
    const batchId = fired.body.lastRun?.batchId ?? '';
    const done = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${batchId}`, { key: rich.apiKey }),
      (r) => ['completed', 'failed'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );
    expect(done.body).toMatchObject({ status: 'completed', autoStart: true, summary: { messages: 3 } });
    expect(done.body.name).toMatch(/^Săptămânal \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const atCarrier = (await simMessages()).filter((m) => numbers.some((n) => m.to === `+4${n}`));
    expect(new Set(atCarrier.map((m) => m.text))).toEqual(
      new Set([
        'Salut Ana0, oferta săptămânii!',
        'Salut Ana1, oferta săptămânii!',
        'Salut Ana2, oferta săptămânii!',
      ]),
    );

    // Assert: the short account's occurrence failed with the reason, nothing reserved
    const shortFired = await eventually(
      () => call<Campaign>('GET', `/v1/recurring-campaigns/${short.body.id}`, { key: poor.apiKey }),
      (r) => r.body.lastRun?.batchId !== undefined,
      { timeoutMs: 75_000, intervalMs: 500 },
    );
    const failed = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${shortFired.body.lastRun?.batchId}`, { key: poor.apiKey }),
      (r) => !['analysing', 'ready'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );
    expect(failed.body.status).toBe('failed');
    expect(failed.body.reason).toMatch(/^Not started automatically \(INSUFFICIENT_CREDIT\)/);
    expect((await call<{ balance: string }>('GET', '/v1/account', { key: poor.apiKey })).body.balance).toBe(
      '0.0100',
    );

    // the campaign kept its own copy of the file until now
    expect((await sourceOf(rich.id, created.body.id)).ContentLength).toBeGreaterThan(0);

    // Act: delete both definitions
    const deleted = await call('DELETE', `/v1/recurring-campaigns/${created.body.id}`, { key: rich.apiKey });
    await call('DELETE', `/v1/recurring-campaigns/${short.body.id}`, { key: poor.apiKey });

    // Assert: gone, and so is the schedule
    expect(deleted.status).toBe(204);
    expect(
      (await call('GET', `/v1/recurring-campaigns/${created.body.id}`, { key: rich.apiKey })).status,
    ).toBe(404);
    await expect(scheduleOf(created.body.id)).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(scheduleOf(short.body.id)).rejects.toBeInstanceOf(ResourceNotFoundException);
    // and the kept copy of the file (phone numbers) with it
    await expect(sourceOf(rich.id, created.body.id)).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('refuses a bad cron, a bad time zone, a startAt, an unknown upload; other accounts see 404', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const other = await newAccount('1.0000');
    const uploadId = await uploadCsv(account.apiKey, [[uniqueMobiles(1)[0] ?? '', 'Ana']]);
    const base = { ...settings, uploadId, name: 'Lunar', cron: 'cron(0 9 1 * ? *)' };

    // Act
    const answers = await Promise.all([
      createCampaign(account.apiKey, { ...base, cron: 'cron(0 9 * * * *)' }),
      createCampaign(account.apiKey, { ...base, cron: '0 25 ? * MON *' }),
      createCampaign(account.apiKey, { ...base, cron: 'cron(0 9 1 1 ? 2020)' }),
      createCampaign(account.apiKey, { ...base, timezone: 'Europe/Atlantis' }),
      createCampaign(account.apiKey, { ...base, startAt: '2030-01-01T09:00:00+02:00' }),
      createCampaign(account.apiKey, { ...base, uploadId: 'nope' }),
      createCampaign(other.apiKey, base),
    ]);
    const created = await createCampaign(account.apiKey, base);
    const foreign = await call('GET', `/v1/recurring-campaigns/${created.body.id}`, { key: other.apiKey });
    const foreignDelete = await call('DELETE', `/v1/recurring-campaigns/${created.body.id}`, {
      key: other.apiKey,
    });

    // Assert
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 404, 404]);
    expect(answers[0]?.body.error?.message).toMatch(/Invalid cron expression: Exactly one of day-of-month/);
    expect(answers[1]?.body.error?.message).toMatch(/"25" is not in 0-23/);
    expect(answers[2]?.body.error?.message).toMatch(/never fires/);
    expect(answers[3]?.body.error?.message).toMatch(/Unknown time zone/);
    expect(created.status).toBe(201);
    expect([foreign.status, foreignDelete.status]).toEqual([404, 404]);
    await expect(scheduleOf(created.body.id)).resolves.toMatchObject({ State: 'ENABLED' });
  });

  it('PATCH pauses and resumes the recurrence (the schedule follows); the list shows the campaign', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const uploadId = await uploadCsv(account.apiKey, [[uniqueMobiles(1)[0] ?? '', 'Ana']]);
    const created = await createCampaign(account.apiKey, {
      ...settings,
      uploadId,
      name: 'Luni',
      cron: '0 9 ? * MON *',
    });
    const path = `/v1/recurring-campaigns/${created.body.id}`;

    // Act
    const paused = await call<Campaign>('PATCH', path, { key: account.apiKey, body: { paused: true } });
    const whilePaused = await scheduleOf(created.body.id);
    const resumed = await call<Campaign>('PATCH', path, {
      key: account.apiKey,
      body: { paused: false, cron: 'cron(30 8 ? * TUE *)' },
    });
    const listed = await call<{ items: Campaign[] }>('GET', '/v1/recurring-campaigns', {
      key: account.apiKey,
    });
    const badPatch = await call('PATCH', path, { key: account.apiKey, body: { cron: 'every monday' } });

    // Assert
    expect(paused.body).toMatchObject({ state: 'paused' });
    expect(paused.body.nextRunAt).toBeUndefined();
    expect(whilePaused.State).toBe('DISABLED');
    expect(resumed.body).toMatchObject({ state: 'active', cron: '30 8 ? * TUE *' });
    expect(new Date(resumed.body.nextRunAt ?? '').getUTCDay()).toBe(2);
    expect(await scheduleOf(created.body.id)).toMatchObject({
      State: 'ENABLED',
      ScheduleExpression: 'cron(30 8 ? * TUE *)',
    });
    expect(listed.body.items.map((c) => c.id)).toEqual([created.body.id]);
    expect(badPatch.status).toBe(400);
  });
});
