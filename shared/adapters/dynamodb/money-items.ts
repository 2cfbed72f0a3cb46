import { accountKey } from './keys';

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
