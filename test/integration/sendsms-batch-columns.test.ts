import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, simMessages } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';
import { startCallbackReceiver } from '../support/callback-receiver';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

/** A CSV field, quoted (texts hold commas). */
const q = (value: string) => `"${value.replaceAll('"', '""')}"`;

describe('batch_create honours its file’s columns (to, from, message, client_reference, report_url, placeholders)', () => {
  it('sends each row from its own sender with its own rendered text, once, and reports it per row', async () => {
    // Arrange
    const receiver = await startCallbackReceiver();
    try {
      const account = await newSendsmsAccount('3.0000', { senderIds: ['Shop', 'Promo'] });
      const auth = { username: account.username, password: account.password };
      const [ana, ion, maria] = [mobile('21'), mobile('22'), mobile('23')].map((n) => n.slice(1));
      const report = `${receiver.url}/dlr?ref=ORD-1&status=%d`;
      const csv = [
        'to,from,message,client_reference,report_url,nume',
        `${ana},Promo,${q('Salut #nume, comanda #123 a plecat')},ORD-1,${report},Ana`,
        `${ana},Promo,${q('Salut #nume, comanda #123 a plecat')},ORD-1,${report},Ana`,
        `${ana},,${q('Salut #nume, comanda #124 a plecat')},ORD-2,,Ana`,
        `${ion},Concurent,${q('Salut #nume')},,,Ion`,
        `${maria},Shop,${q('#1 in Romania, #nume!')},,,Maria`,
      ].join('\n');

      // Act
      const created = await sendsms<string>(
        httpBuildQuery({
          action: 'batch_create',
          ...auth,
          name: 'Comenzi',
          start_time: '2020-01-01 10:00:00',
        }),
        { body: httpBuildQuery({ data: `${csv}\n` }) },
      );

      // Assert: every valid row went out from its sender with its text
      expect(created.body.status).toBe(0);
      const batchId = created.body.details;
      const expected = [
        { to: `+${ana}`, from: 'Promo', text: 'Salut Ana, comanda #123 a plecat' },
        { to: `+${ana}`, from: 'Shop', text: 'Salut Ana, comanda #124 a plecat' },
        { to: `+${maria}`, from: 'Shop', text: '#1 in Romania, Maria!' },
      ];
      const done = await eventually(
        () =>
          sendsms<{ status: string; total: number; valid: number; invalid: number; messages: number }>(
            httpBuildQuery({ action: 'batch_check_status', ...auth, batch_id: batchId }),
          ),
        (r) => r.body.details?.status === 'completed',
        { timeoutMs: 45_000 },
      );
      expect(done.body.details).toMatchObject({ total: 5, valid: 3, invalid: 1, messages: 3 });
      const sent = (await simMessages()).filter((m) => [`+${ana}`, `+${ion}`, `+${maria}`].includes(m.to));
      for (const message of expected) {
        // The duplicate row (same number, text and sender) went out once; no row went out twice.
        expect(sent.filter((m) => m.to === message.to && m.text === message.text)).toEqual([
          expect.objectContaining({ from: message.from }),
        ]);
      }
      expect(sent.filter((m) => m.to === `+${ion}`)).toEqual([]);
      expect(sent).toHaveLength(3);

      // The client reference is shown with the message (row 2's message id is `<batch>R2`).
      const status = await sendsms<{ client_reference?: string; from: string }>(
        httpBuildQuery({ action: 'message_status', ...auth, message_id: `${batchId}R2` }),
      );
      expect(status.body.details).toMatchObject({ client_reference: 'ORD-1', from: 'Promo' });
      const rest = await call<{ clientReference?: string }>('GET', `/v1/messages/${batchId}R2`, {
        key: account.apiKey,
      });
      expect(rest.body.clientReference).toBe('ORD-1');

      // The row's report_url got its delivered GET (default mask 19: delivered, undelivered, failed).
      await eventually(
        async () => receiver.received.map((r) => `${r.method} ${r.path}`),
        (paths) => paths.includes('GET /dlr?ref=ORD-1&status=1'),
        { timeoutMs: 20_000 },
      );
      expect(receiver.received.map((r) => r.path)).toEqual(['/dlr?ref=ORD-1&status=1']);
    } finally {
      await receiver.close();
    }
  });
});

describe('POST /v1/batches with the per-row mapping fields', () => {
  it('senderColumn, clientReferenceColumn, messagePlaceholders and dedupMessages work as in batch_create', async () => {
    // Arrange
    const account = await newSendsmsAccount('3.0000', { senderIds: ['Shop', 'Promo'] });
    const to = mobile('31');
    const csv = `phone,text,sender,ref,nume\n${to},Buna #nume,Promo,R-9,Dan\n${to},Buna #nume,Promo,R-9,Dan\n${to},Pa #nume,,R-10,Dan\n`;

    // Act
    const batch = await readyBatch(account.apiKey, csv, {
      messageColumn: 'B',
      senderColumn: 'C',
      clientReferenceColumn: 'D',
      messagePlaceholders: true,
      dedup: false,
      dedupMessages: true,
    });
    const started = await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    expect(started.status).toBe(200);
    await batchUntil(account.apiKey, batch.id, (b) => b.status === 'completed');

    // Assert
    expect(batch.summary).toMatchObject({ rows: 3, messages: 2 });
    const sent = (await simMessages()).filter((m) => m.to === to);
    expect(sent.map((m) => [m.from, m.text]).sort()).toEqual([
      ['Promo', 'Buna Dan'],
      ['Shop', 'Pa Dan'],
    ]);
    const message = await call<{ clientReference?: string }>('GET', `/v1/messages/${batch.id}R4`, {
      key: account.apiKey,
    });
    expect(message.body.clientReference).toBe('R-10');
  });
});
