/** A fresh table on a dynalite of the test's own, on a free port, with the demo seed or a given one. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynalite, type LocalDynamoDb } from '../../lib/local/dynalite';
import { createDynamoDbClient } from '../../lib/store/client';
import { createStore, type Store } from '../../lib/store/store';
import { loadSeed, validateSeed, type Seed } from '../../lib/store/seed';
import { ensureTable } from '../../lib/store/table';

export const DEMO_SEED_FILE = path.join(__dirname, '../../lib/local/demo-seed.json');
export const demoSeed = (): Seed => validateSeed(JSON.parse(readFileSync(DEMO_SEED_FILE, 'utf8')));

export interface LocalTable {
  engine: LocalDynamoDb;
  client: DynamoDBClient;
  tableName: string;
  store: Store;
  /** a new store (cold caches) on the same table, optionally over another client */
  newStore(client?: DynamoDBClient): Store;
  close(): Promise<void>;
}

export async function startLocalTable(seed: Seed = demoSeed()): Promise<LocalTable> {
  const engine = await startDynalite({ port: 0 });
  const client = createDynamoDbClient({ endpoint: engine.endpoint, maxAttempts: 2, requestTimeoutMs: 5_000 });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  const store = createStore(client, tableName);
  await loadSeed(seed, store);
  return {
    engine,
    client,
    tableName,
    store,
    newStore: (other = client) => createStore(other, tableName),
    close: async () => {
      client.destroy();
      await engine.close();
    },
  };
}
