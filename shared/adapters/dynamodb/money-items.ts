import { DailySpendLimitReached } from '#domain/errors';
import { accountKey, dailySpendKey } from './keys';

/**
 * The account updates every money transaction is built from, stated once: reserving (balance →
 * reserved, only from an active account that can cover it) and releasing (reserved → spent when
 * settled, reserved → balance when refunded).
 */
export function reserveUpdate(TableName: string, accountId: string, cost: number) {
  return {
    Update: {
      TableName,
      Key: accountKey(accountId),
      UpdateExpression: 'SET balance = balance - :cost ADD reserved :cost',
      ConditionExpression: '#status = :active AND balance >= :cost',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cost': cost, ':active': 'active' },
    },
  };
}

export function releaseUpdate(
  TableName: string,
  accountId: string,
  amount: number,
  into: 'spent' | 'balance',
) {
  return {
    Update: {
      TableName,
      Key: accountKey(accountId),
      UpdateExpression: `ADD reserved :minus, ${into} :amount`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':minus': -amount, ':amount': amount },
    },
  };
}

/** A cost above the whole daily limit can never fit, not even on the day's first send. */
export function assertWithinDailyLimit(
  spend: { limit: number; day: string } | undefined,
  cost: number,
): void {
  if (spend && cost > spend.limit) {
    throw new DailySpendLimitReached('The daily spend limit of this account is lower than this cost', {
      details: { limit: spend.limit, day: spend.day, cost },
    });
  }
}

/**
 * Counts `cost` against the account's optional daily spend limit for `day` (UTC), failing the whole
 * transaction when it would go over.
 */
export function dailySpendUpdate(
  TableName: string,
  spend: { accountId: string; day: string; limit: number },
  cost: number,
  nowSeconds: number,
) {
  return {
    Update: {
      TableName,
      Key: dailySpendKey(spend.accountId, spend.day),
      UpdateExpression: 'ADD spentToday :cost SET expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression: 'attribute_not_exists(spentToday) OR spentToday <= :max',
      ExpressionAttributeValues: {
        ':cost': cost,
        ':max': spend.limit - cost,
        ':expires': nowSeconds + 3 * 24 * 3600,
      },
    },
  };
}
