/** The table's calls, each once: consistent reads (single and batched), plain and conditional puts and
 * paged queries, with throttling that outlasted the SDK's retries turned into 429 VPN.0429. The
 * repositories build on these and never send a command themselves. */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { throttled } from '../core/errors';
import { createDocumentClient } from './client';
import { keyId, type Key } from './keys';

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const BATCH_ATTEMPTS = 4;
/** BatchWriteItem's most requests per call */
const BATCH_WRITE_SIZE = 25;
/** BatchGetItem's most keys per call */
const BATCH_GET_SIZE = 100;

type Item = Record<string, unknown>;
type Values = Record<string, unknown>;

/** The SDK has already retried; what still fails as throttling or timeout becomes 429 VPN.0429. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (THROTTLING_ERRORS.has(name) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429) {
      throw throttled();
    }
    throw error;
  }
}

/** Sends `requests` in chunks of `size` at once, each chunk again with what `send` left unprocessed
 * (after a growing pause), BATCH_ATTEMPTS times at most, then 429. */
async function inBatches<T>(requests: readonly T[], size: number, send: (chunk: T[]) => Promise<T[]>): Promise<void> {
  const chunks: T[][] = [];
  for (let start = 0; start < requests.length; start += size) chunks.push(requests.slice(start, start + size));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending = chunk;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_ATTEMPTS) throw throttled();
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        pending = await send(pending);
      }
    }),
  );
}

/** A conditional write: true when it was made, false when its condition failed. */
async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await guarded(write);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** An item as its repository's record: the keys are the table's business. */
export function withoutKey<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as T;
}

export interface QueryPage {
  items: Item[];
  /** where the next page starts; undefined: the query is exhausted */
  next?: Item;
}

export interface QueryRequest {
  pk: string;
  /** items whose sort key begins with it */
  prefix: string;
  limit?: number;
  start?: Key;
  filter?: { expression: string; values: Values };
  projection?: string;
}

export class TableClient {
  readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.documents = createDocumentClient(client);
  }

  async get<T>(key: Key): Promise<T | undefined> {
    const output = await guarded(() => this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })));
    return withoutKey<T>(output.Item);
  }

  /** Consistent reads, one BatchGetItem per 100 keys (in parallel, unprocessed keys retried), found
   * items by keyId. */
  async batchGet(wanted: readonly Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    const unique = [...new Map(wanted.map((key) => [keyId(key), key])).values()];
    await inBatches(unique, BATCH_GET_SIZE, async (pending) => {
      const output = await guarded(() => this.documents.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })));
      for (const item of output.Responses?.[this.tableName] ?? []) found.set(keyId(item as Key), item);
      return (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
    });
    return found;
  }

  async put(key: Key, record: object): Promise<void> {
    await guarded(() => this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...record } })));
  }

  /** Conditional put; false when the condition failed. */
  putIf(key: Key, record: object, condition: string, values?: Values): Promise<boolean> {
    return conditionally(() =>
      this.documents.send(
        new PutCommand({ TableName: this.tableName, Item: { ...key, ...record }, ConditionExpression: condition, ...(values ? { ExpressionAttributeValues: values } : {}) }),
      ),
    );
  }

  /** Conditional delete; false when the condition failed (an absent item fails any condition on it). */
  deleteIf(key: Key, condition: string, values?: Values): Promise<boolean> {
    return conditionally(() =>
      this.documents.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: condition, ...(values ? { ExpressionAttributeValues: values } : {}) }),
      ),
    );
  }

  /** Unconditional puts and deletes, 25 per BatchWriteItem, unprocessed ones retried. */
  async batchWrite(puts: readonly (Key & Item)[], deletes: readonly Key[] = []): Promise<void> {
    const requests = [...puts.map((item) => ({ PutRequest: { Item: item } })), ...deletes.map((key) => ({ DeleteRequest: { Key: key } }))];
    await inBatches(requests, BATCH_WRITE_SIZE, async (pending) => {
      const output = await guarded(() => this.documents.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } })));
      return (output.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
    });
  }

  /** One consistent page of a partition's items under a sort-key prefix. */
  async query(request: QueryRequest): Promise<QueryPage> {
    const output = await guarded(() =>
      this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': request.pk, ':prefix': request.prefix, ...request.filter?.values },
          ConsistentRead: true,
          ...(request.limit !== undefined ? { Limit: request.limit } : {}),
          ...(request.start ? { ExclusiveStartKey: request.start } : {}),
          ...(request.filter ? { FilterExpression: request.filter.expression } : {}),
          ...(request.projection ? { ProjectionExpression: request.projection } : {}),
        }),
      ),
    );
    return { items: output.Items ?? [], ...(output.LastEvaluatedKey ? { next: output.LastEvaluatedKey } : {}) };
  }

  /** How many items a partition holds under a sort-key prefix (every page of a COUNT query). */
  async count(pk: string, prefix: string): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const output = await guarded(() =>
        this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
            ConsistentRead: true,
            Select: 'COUNT',
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      count += output.Count ?? 0;
      start = output.LastEvaluatedKey;
    } while (start);
    return count;
  }
}

/** Bounded warm-function memory: starts over when full (a warm function's working set is small). */
export function remember(map: Map<string, string>, key: string, value: string, limit: number): void {
  if (map.size >= limit) map.clear();
  map.set(key, value);
}
