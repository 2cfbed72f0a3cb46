import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isTransactionConflict, retryOnTransactionConflict } from '#adapters/dynamodb/errors';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('retryOnTransactionConflict', () => {
  it('retries a transaction cancelled only by a conflict until it goes through', async () => {
    let calls = 0;
    const result = await retryOnTransactionConflict(async () => {
      calls++;
      if (calls < 3) throw cancelled('None', 'TransactionConflict');
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('never retries a failed condition (the answer is final: 402, replay, not found)', async () => {
    let calls = 0;
    await expect(
      retryOnTransactionConflict(async () => {
        calls++;
        throw cancelled('ConditionalCheckFailed', 'TransactionConflict');
      }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(calls).toBe(1);
  });

  it('gives up after the given number of tries', async () => {
    let calls = 0;
    await expect(
      retryOnTransactionConflict(async () => {
        calls++;
        throw cancelled('TransactionConflict');
      }, 3),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(calls).toBe(3);
  });

  it('recognises only conflict-only cancellations', () => {
    expect(isTransactionConflict(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransactionConflict(cancelled('ConditionalCheckFailed'))).toBe(false);
    expect(isTransactionConflict(new Error('TransactionConflict'))).toBe(false);
  });
});
