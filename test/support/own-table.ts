import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createTable, localDynamoDbClient } from '../../local/dynamodb-local';
import { stack } from './api';

/**
 * A table of the platform's shape for this test file alone, on the integration stack's DynamoDB Local
 * (rather than a DynamoDB Local process per file): for adapter tests that read and write items directly.
 * Created before the file's tests, its clients closed after them.
 */
export function useOwnTable(tableName: string): { raw: DynamoDBClient; client: DynamoDBDocumentClient } {
  const raw = localDynamoDbClient(stack().endpoints.dynamodb);
  beforeAll(() => createTable(raw, tableName));
  afterAll(() => raw.destroy());
  return {
    raw,
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
  };
}
