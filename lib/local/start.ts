/** `npm start`: the local stack of CONTRACT.md section 9 (dynalite, table, seed, serverless-offline). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDynamoDbClient } from '../store/client';
import { loadSeedFile } from '../store/seed';
import { DEFAULT_TABLE_NAME, ensureTable } from '../store/table';
import { startDynalite } from './dynalite';
import { assertPortFree, spawnOffline, waitForOffline } from './offline';

interface SeedCredentials {
  credentials?: { access_key: string; secret_key: string; project_ids: string[] }[];
}

const cleanups: (() => Promise<void>)[] = [];
let stopping: Promise<never> | undefined;

/** Stops what was started, newest first, then exits; later calls wait for the first. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name} must be a port number, not "${value}"`);
  return port;
}

async function main(): Promise<void> {
  const httpPort = portFromEnv('PORT', 3000);
  const lambdaPort = portFromEnv('LAMBDA_PORT', 3002);
  const dynamoPort = portFromEnv('DYNAMODB_PORT', 8000);
  const tableName = process.env.TABLE_NAME || DEFAULT_TABLE_NAME;
  // paths given by the user are relative to where they typed the command (npm runs scripts in the
  // package root and keeps that directory in INIT_CWD); the defaults live in the project
  const fromUser = (path: string): string => resolve(process.env.INIT_CWD || '.', path);
  const seedFile = process.env.SEED_FILE ? fromUser(process.env.SEED_FILE) : resolve(__dirname, 'demo-seed.json');
  const dataDir = process.env.DATA_DIR ? fromUser(process.env.DATA_DIR) : resolve(__dirname, '../../.data');
  const inMemory = process.env.DATA_DIR === 'memory';
  await assertPortFree(httpPort, 'PORT');
  await assertPortFree(lambdaPort, 'LAMBDA_PORT');

  let dynamoEndpoint = process.env.DYNAMODB_ENDPOINT;
  let storage = 'external';
  if (!dynamoEndpoint) {
    const dynamo = await startDynalite({ port: dynamoPort, ...(inMemory ? {} : { path: dataDir }) });
    cleanups.push(() => dynamo.close());
    dynamoEndpoint = dynamo.endpoint;
    storage = inMemory ? 'dynalite, in memory' : `dynalite, data in ${dataDir}`;
  }

  const client = createDynamoDbClient({ endpoint: dynamoEndpoint });
  try {
    await ensureTable(client, tableName);
    const loaded = await loadSeedFile(seedFile, { client, tableName }).catch((error: unknown) => {
      throw new Error(`seed file ${seedFile} refused: ${error instanceof Error ? error.message : String(error)}`);
    });
    console.log(`seed ${seedFile} loaded: ${Object.entries(loaded).map(([kind, count]) => `${count} ${kind}`).join(', ')}`);
  } finally {
    client.destroy();
  }

  if (stopping) return;
  const offline = spawnOffline({ httpPort, lambdaPort, dynamoEndpoint, tableName, output: 'inherit' });
  cleanups.push(() => offline.stop());
  void offline.exited.then((code) => {
    if (stopping) return;
    console.error(`p2c-vpn: serverless-offline exited (${code}); stopping`);
    void shutdown(1);
  });
  await waitForOffline(offline, 120_000);

  const seed = JSON.parse(await readFile(seedFile, 'utf8')) as SeedCredentials;
  console.log(`
API (no stage prefix): ${offline.baseUrl}
Lambda invoke API:     ${offline.lambdaEndpoint} (functions p2c-vpn-dev-api, p2c-vpn-dev-events)
DynamoDB:              ${dynamoEndpoint} (${storage}), table ${tableName}
Demo credentials (local only):`);
  for (const { access_key, secret_key, project_ids } of seed.credentials ?? []) {
    console.log(`  AK ${access_key}  SK ${secret_key}  projects ${project_ids.join(', ')}`);
  }
  console.log(`p2c-vpn ready: ${offline.baseUrl}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stopping) console.log(`p2c-vpn: ${signal}, stopping`);
    void shutdown(0);
  });
}
main().catch((error: unknown) => {
  console.error(`p2c-vpn: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
