import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { instrument } from '#observability/instrument';

/**
 * One document client per cold start. The endpoint comes from the SDK's standard configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB` points it at DynamoDB Local in the local stack).
 */
export function makeDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(instrument(client, 'DynamoDB'), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
