/** `npm run seed -- FILE`: loads a seed file (CONTRACT.md section 8) into DYNAMODB_ENDPOINT / TABLE_NAME. */
import { resolve } from 'node:path';
import { createDynamoDbClient } from '../store/client';
import { loadSeedFile } from '../store/seed';
import { DEFAULT_TABLE_NAME, ensureTable } from '../store/table';

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || rest.length > 0) throw new Error('usage: npm run seed -- FILE');
  const endpoint = process.env.DYNAMODB_ENDPOINT || `http://localhost:${process.env.DYNAMODB_PORT || 8000}`;
  const tableName = process.env.TABLE_NAME || DEFAULT_TABLE_NAME;
  const client = createDynamoDbClient({ endpoint });
  try {
    await ensureTable(client, tableName);
    // npm runs scripts in the package root; INIT_CWD is where the user typed the command
    const loaded = await loadSeedFile(resolve(process.env.INIT_CWD || '.', file), { client, tableName });
    console.log(`${file} loaded into ${tableName} at ${endpoint}:`);
    for (const [kind, count] of Object.entries(loaded)) console.log(`  ${kind}: ${count}`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
