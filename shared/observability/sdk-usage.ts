/**
 * Counts AWS requests and DynamoDB capacity, for measuring what a flow costs (docs/cost.md). Only the
 * local stack turns it on (SDK_USAGE_COUNTING=true); deployed functions never pay for it.
 */
export interface Usage {
  /** Requests per `Service.Operation`, e.g. `SQS.SendMessageBatch`. */
  requests: Record<string, number>;
  /** DynamoDB capacity units consumed (as reported with ReturnConsumedCapacity=TOTAL). */
  dynamodb: { writeUnits: number; readUnits: number };
  /** Lambda invocations per function (counted by the local runtime). */
  invocations: Record<string, number>;
}

const KEY = Symbol.for('sms-platform.sdk-usage');
type Holder = { [KEY]?: Usage };

export function usage(): Usage {
  const holder = globalThis as Holder;
  holder[KEY] ??= { requests: {}, dynamodb: { writeUnits: 0, readUnits: 0 }, invocations: {} };
  return holder[KEY];
}

export function resetUsage(): void {
  (globalThis as Holder)[KEY] = { requests: {}, dynamodb: { writeUnits: 0, readUnits: 0 }, invocations: {} };
}

export const countingEnabled = () => process.env.SDK_USAGE_COUNTING === 'true';

interface ConsumedCapacity {
  WriteCapacityUnits?: number;
  ReadCapacityUnits?: number;
  CapacityUnits?: number;
}

function addCapacity(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, write: boolean) {
  const all = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  for (const c of all) {
    const units = c.CapacityUnits ?? (write ? c.WriteCapacityUnits : c.ReadCapacityUnits) ?? 0;
    if (write) usage().dynamodb.writeUnits += c.WriteCapacityUnits ?? units;
    else usage().dynamodb.readUnits += c.ReadCapacityUnits ?? units;
  }
}

const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;

/** Any SDK v3 client (their middleware stack types differ per client). */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type SdkClient = { middlewareStack: { add: (...args: any[]) => void } };

/** An SDK v3 middleware counting every request of the client (and DynamoDB capacity). */
export function countUsage(client: SdkClient, service: string): void {
  client.middlewareStack.add(
    // biome-ignore lint/suspicious/noExplicitAny: generic SDK middleware
    (next: any, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const key = `${service}.${operation}`;
      usage().requests[key] = (usage().requests[key] ?? 0) + 1;
      const isDynamo = service === 'DynamoDB';
      if (isDynamo) args.input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (isDynamo) addCapacity(result.output?.ConsumedCapacity, WRITES.test(operation));
      // Empty long polls depend on time, not on traffic: counted apart so per-message figures stay honest.
      if (key === 'SQS.ReceiveMessage' && !(result.output?.Messages?.length > 0)) {
        usage().requests[key] = (usage().requests[key] ?? 1) - 1;
        usage().requests['SQS.ReceiveMessage(empty)'] =
          (usage().requests['SQS.ReceiveMessage(empty)'] ?? 0) + 1;
      }
      return result;
    },
    { step: 'initialize', name: 'countUsage' },
  );
}
