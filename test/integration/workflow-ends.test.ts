import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/step-functions-resolver';
import { call, eventually, mobile, newAccount, simMessages, stack } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';

/**
 * A batch run that ends with no Catch (here an operator's StopExecution; in AWS also the 7-day timeout
 * or the history limit) is failed and settled by `recover-workflow-run`, which the local stack invokes as the
 * EventBridge rule does: nothing stays reserved, and exactly what reached the carrier is charged.
 */
const PRICE = 0.045;

interface Balance {
  balance: string;
  reserved: string;
  spent: string;
}

async function sendRun(batchId: string): Promise<string> {
  const sfn = new SFNClient({ endpoint: stack().endpoints.sfn, region: 'us-east-1' });
  const listed = await sfn.send(
    new ListExecutionsCommand({
      stateMachineArn: stateMachineArn('SendBatchWorkflow'),
      statusFilter: 'RUNNING',
    }),
  );
  for (const execution of listed.executions ?? []) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    if (JSON.parse(described.input ?? '{}').batchId === batchId) return described.executionArn ?? '';
  }
  throw new Error(`no running send-batch execution for ${batchId}`);
}

describe('a batch run that ends without its Catch', () => {
  it('aborted mid-send: the batch ends failed (WORKFLOW_ABORTED), sent ⇔ charged, nothing left reserved', async () => {
    // Arrange: 30 messages at 2 per second, aborted once a few have reached the carrier.
    const account = await newAccount('10.0000');
    const numbers = Array.from({ length: 30 }, () => mobile());
    const text = `Abort ${Math.random().toString(36).slice(2, 8)}`;
    const csv = ['Telefon,Mesaj', ...numbers.map((n) => `${n},${text}`)].join('\n');
    const batch = await readyBatch(account.apiKey, csv, { messageColumn: 'B', speed: 2 });
    expect(batch.status).toBe('ready');
    const arrived = async () =>
      (await simMessages()).filter((m) => m.text === text && numbers.includes(m.to)).length;
    const started = await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    expect(started.status).toBe(200);
    await eventually(arrived, (n) => n >= 3, { timeoutMs: 30_000 });

    // Act: what an operator's StopExecution does (as would a timeout or the history limit).
    const sfn = new SFNClient({ endpoint: stack().endpoints.sfn, region: 'us-east-1' });
    await sfn.send(new StopExecutionCommand({ executionArn: await sendRun(batch.id) }));

    // Assert
    const failed = await batchUntil(account.apiKey, batch.id, (b) => b.status !== 'running');
    expect(failed).toMatchObject({ status: 'failed', reason: 'WORKFLOW_ABORTED' });
    const settled = await eventually(
      () => call<Balance>('GET', '/v1/account', { key: account.apiKey }),
      (r) => r.body.reserved === '0.0000',
      { timeoutMs: 20_000 },
    );
    // Jobs already queued may still land for a moment: wait until the carrier count stops moving.
    let sent = await arrived();
    const deadline = Date.now() + 20_000;
    for (let quietSince = Date.now(); Date.now() - quietSince < 1500 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await arrived();
      if (now !== sent) [sent, quietSince] = [now, Date.now()];
    }
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThan(30);
    const after = await call<Balance>('GET', '/v1/account', { key: account.apiKey });
    expect(after.body.spent).toBe((sent * PRICE).toFixed(4));
    expect(Number(after.body.balance) + Number(after.body.spent)).toBeCloseTo(10, 4);
    expect(settled.body.reserved).toBe('0.0000');
  });
});
