import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '#topology/table';
import {
  createTable,
  type DynamoDbLocal,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../../../local/dynamodb-local';

const tableName = TABLE.localName;
let ddb: DynamoDbLocal;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let stopped = false;

beforeAll(async () => {
  const startedAt = Date.now();
  ddb = await startDynamoDbLocal();
  console.info(`DynamoDB Local ready in ${Date.now() - startedAt} ms at ${ddb.endpoint}`);
  client = localDynamoDbClient(ddb.endpoint);
  doc = DynamoDBDocumentClient.from(client);
  await createTable(client, tableName);
});

afterAll(async () => {
  client?.destroy();
  if (!stopped) await ddb?.stop();
});

describe('DynamoDB Local', () => {
  it('creates the table exactly as TABLE declares it', async () => {
    // Act
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );

    // Assert
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const gsis = Table?.GlobalSecondaryIndexes ?? [];
    expect(gsis.map((g) => g.IndexName).sort()).toEqual(
      TABLE.globalSecondaryIndexes.map((g) => g.indexName).sort(),
    );
    for (const gsi of gsis) expect(gsi.Projection?.ProjectionType).toBe('ALL');
    expect(TimeToLiveDescription).toMatchObject({
      AttributeName: TABLE.ttlAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('puts and gets an item', async () => {
    // Arrange
    const item = { pk: 'ACCOUNT#a1', sk: 'PROFILE', entityType: 'Account', version: 1, balance: 1500 };

    // Act
    await doc.send(new PutCommand({ TableName: tableName, Item: item }));
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }),
    );

    // Assert
    expect(Item).toEqual(item);
  });

  it('cancels a whole transaction when one condition fails', async () => {
    // Arrange
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { pk: 'ACCOUNT#t1', sk: 'PROFILE', balance: 10 } }),
    );

    // Act
    const attempt = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk: 'MESSAGE#m1', sk: 'MESSAGE', status: 'accepted' } } },
          {
            Update: {
              TableName: tableName,
              Key: { pk: 'ACCOUNT#t1', sk: 'PROFILE' },
              UpdateExpression: 'SET balance = balance - :cost',
              ConditionExpression: 'balance >= :cost',
              ExpressionAttributeValues: { ':cost': 50 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );

    // Assert
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons[1]?.Item?.balance).toEqual({ N: '10' });
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: { pk: 'MESSAGE#m1', sk: 'MESSAGE' } }),
    );
    expect(Item).toBeUndefined();
  });

  it('queries the GSI in sort-key order', async () => {
    // Arrange
    const gsi = TABLE.globalSecondaryIndexes[0];
    for (const [id, at] of [
      ['m2', '2026-01-02'],
      ['m1', '2026-01-01'],
      ['m3', '2026-01-03'],
    ] as const) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `MESSAGE#${id}`, sk: 'MESSAGE', gsi1pk: 'ACCOUNT#q1#MESSAGES', gsi1sk: at, id },
        }),
      );
    }

    // Act
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: gsi.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': gsi.partitionKey },
        ExpressionAttributeValues: { ':pk': 'ACCOUNT#q1#MESSAGES' },
        ScanIndexForward: false,
      }),
    );

    // Assert
    expect(Items?.map((i) => i.id)).toEqual(['m3', 'm2', 'm1']);
  });

  it('stops: java is gone once stop() resolves', async () => {
    // Arrange
    const { pid } = ddb;
    expect(isAlive(pid)).toBe(true);

    // Act
    await ddb.stop();
    stopped = true;

    // Assert
    expect(isAlive(pid)).toBe(false);
    await ddb.stop(); // idempotent
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
