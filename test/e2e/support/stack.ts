/**
 * The local stack for end-to-end tests: dynalite in memory and serverless-offline, on free ports.
 * Call from beforeAll/afterAll with generous timeouts (esbuild and osls take several seconds).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDynalite } from '../../../lib/local/dynalite';
import { freePorts, spawnOffline, waitForOffline } from '../../../lib/local/offline';
import { createDynamoDbClient } from '../../../lib/store/client';
import { loadSeedFile, validateSeed, type Seed } from '../../../lib/store/seed';
import { ensureTable } from '../../../lib/store/table';
import { DEMO_SEED_FILE } from '../../support/local-table';

/** The seed, validated, in a file of its own under the temporary directory; returns its path. */
export function writeSeedFile(seed: Seed): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'p2c-vpn-e2e-seed-')), 'seed.json');
  writeFileSync(file, JSON.stringify(validateSeed(seed)));
  return file;
}

export interface StackOptions {
  /** default: the demo seed */
  seedFile?: string;
  tableName?: string;
  readyTimeoutMs?: number;
}

export interface Stack {
  baseUrl: string;
  lambdaEndpoint: string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const tableName = options.tableName ?? 'p2c-vpn-e2e';
  const dynamo = await startDynalite({ port: 0 });
  const client = createDynamoDbClient({ endpoint: dynamo.endpoint });
  try {
    await ensureTable(client, tableName);
    await loadSeedFile(options.seedFile ?? DEMO_SEED_FILE, { client, tableName });
  } catch (error) {
    await dynamo.close();
    throw error;
  } finally {
    client.destroy();
  }

  const [httpPort, lambdaPort] = (await freePorts(2)) as [number, number];
  const offline = spawnOffline({ httpPort, lambdaPort, dynamoEndpoint: dynamo.endpoint, tableName, output: 'capture' });
  const stop = async (): Promise<void> => {
    await offline.stop();
    await dynamo.close();
  };
  try {
    await waitForOffline(offline, options.readyTimeoutMs ?? 90_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- serverless-offline output ---\n${offline.output()}`, { cause: error });
  }
  return { baseUrl: offline.baseUrl, lambdaEndpoint: offline.lambdaEndpoint, dynamoEndpoint: dynamo.endpoint, tableName, stop };
}
