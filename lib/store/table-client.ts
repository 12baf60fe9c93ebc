/** The table's calls, each once: consistent reads (single and batched), plain and conditional puts and
 * paged queries, with throttling that outlasted the SDK's retries turned into 429 VPN.0429. The
 * repositories build on these and never send a command themselves. */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

  /** One BatchGetItem (plus retries of unprocessed keys) of consistent reads, found items by keyId. */
  async batchGet(wanted: readonly Key[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    let pending: Key[] = [...new Map(wanted.map((key) => [keyId(key), key])).values()];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > BATCH_ATTEMPTS) throw throttled();
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const output = await guarded(() =>
        this.documents.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })),
      );
      for (const item of output.Responses?.[this.tableName] ?? []) found.set(keyId(item as Key), item);
      pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
    }
    return found;
  }

  async put(key: Key, record: object): Promise<void> {
    await guarded(() => this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...record } })));
  }

  /** Conditional put; false when the condition failed. */
  async putIf(key: Key, record: object, condition: string, values?: Values): Promise<boolean> {
    try {
      await guarded(() =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, ...record },
            ConditionExpression: condition,
            ...(values ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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
