/** The functions' composition root: one DynamoDB client, store and credential cache per warm container. */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cachedLookup } from './auth/credential-cache';
import type { CredentialLookup } from './auth/credentials';
import { createDynamoDbClient, dynamoDbSettingsFromEnv, type DynamoDbSettings } from './store/client';
import { createStore, type Store } from './store/store';
import { DEFAULT_TABLE_NAME } from './store/table';
import type { ServicePorts } from './operations/ports';

export const DEFAULT_CREDENTIAL_CACHE_MS = 60_000;

export interface RuntimeSettings {
  dynamoDb: DynamoDbSettings;
  tableName: string;
  /** how long a warm function keeps an access key (hits and misses) */
  credentialCacheMs: number;
}

export interface Runtime {
  store: Store;
  /** the DynamoDB client every call of the store goes through (tests and the bench watch it) */
  dynamoDb: DynamoDBClient;
  ports: ServicePorts;
  credentials: CredentialLookup;
}

export function createRuntime(settings: RuntimeSettings): Runtime {
  const dynamoDb = createDynamoDbClient(settings.dynamoDb);
  const store = createStore(dynamoDb, settings.tableName);
  const credentials = cachedLookup(async (accessKey: string) => {
    const credential = await store.getCredential(accessKey);
    return credential && { secretKey: credential.secret_key, projectIds: credential.project_ids };
  }, settings.credentialCacheMs);
  return { store, dynamoDb, ports: { store, now: () => new Date(), newId: randomUUID }, credentials };
}

/** The settings serverless.yml gives the functions. */
export const runtimeSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): RuntimeSettings => ({
  dynamoDb: dynamoDbSettingsFromEnv(env),
  tableName: env.TABLE_NAME ?? DEFAULT_TABLE_NAME,
  credentialCacheMs: Number(env.CREDENTIAL_CACHE_MS ?? DEFAULT_CREDENTIAL_CACHE_MS),
});
