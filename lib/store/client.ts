import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbSettings {
  /** a local engine such as dynalite; unset in AWS */
  endpoint?: string;
  region?: string;
  /** per attempt; with maxAttempts this bounds a call well inside the Lambda timeout */
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 1_000;
const DEFAULT_MAX_ATTEMPTS = 3;

export function createDynamoDbClient(settings: DynamoDbSettings = {}): DynamoDBClient {
  const endpoint = settings.endpoint || undefined;
  return new DynamoDBClient({
    region: settings.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // without it @smithy/node-http-handler only logs a warning when requestTimeout passes, and a
      // hanging DynamoDB would hold the function until the Lambda timeout
      throwOnRequestTimeout: true,
    },
  });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The settings the functions read from their environment (serverless.yml sets them). */
export function dynamoDbSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoDbSettings {
  return {
    endpoint: env.DYNAMODB_ENDPOINT || undefined,
    requestTimeoutMs: env.DYNAMODB_REQUEST_TIMEOUT_MS ? Number(env.DYNAMODB_REQUEST_TIMEOUT_MS) : undefined,
    maxAttempts: env.DYNAMODB_MAX_ATTEMPTS ? Number(env.DYNAMODB_MAX_ATTEMPTS) : undefined,
  };
}
