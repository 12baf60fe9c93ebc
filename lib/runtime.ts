/** The functions' composition root: one DynamoDB client and store per warm container. */
import { randomUUID } from 'node:crypto';
import { cachedLookup } from './auth/credential-cache';
import { createDynamoDbClient, dynamoDbSettingsFromEnv } from './store/client';
import { DynamoStore } from './store/dynamo-store';
import type { UseCasePorts } from './vpn-servers/ports';

const CREDENTIAL_CACHE_MS = Number(process.env.CREDENTIAL_CACHE_MS ?? 60_000);

export const store = new DynamoStore(createDynamoDbClient(dynamoDbSettingsFromEnv()), process.env.TABLE_NAME ?? 'p2c-vpn-dev');

export const ports: UseCasePorts = { store, now: () => new Date(), newId: randomUUID };

export const credentials = cachedLookup(async (accessKey: string) => {
  const credential = await store.getCredential(accessKey);
  return credential && { secretKey: credential.secret_key, projectIds: credential.project_ids };
}, CREDENTIAL_CACHE_MS);
