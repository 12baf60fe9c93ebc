/** The API's promises about every response, as assertions usable inside fast-check properties. */
import { createApiHandler } from '../../../handlers/api';
import { createEventsHandler } from '../../../handlers/events';
import { DEFAULT_CREDENTIAL_CACHE_MS, createRuntime } from '../../../lib/runtime';
import { requestIdHeader, type ApiResponse } from '../../support/api-events';

/** Throws unless the response is a success, or a Huawei error body, with request_id equal to X-Request-Id. */
export function assertHuaweiResponse(response: ApiResponse): void {
  const describe = () => `${response.status} ${response.rawBody.slice(0, 300)}`;
  if (!Number.isInteger(response.status) || response.status < 200 || response.status >= 500) {
    throw new Error(`status not 2xx..4xx: ${describe()}`);
  }
  const requestId = requestIdHeader(response);
  if (!requestId || !/^[0-9a-f]{32}$/.test(requestId)) throw new Error(`X-Request-Id missing or malformed: ${describe()}`);
  const body = response.json;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error(`body is not a JSON object: ${describe()}`);
  if (body.request_id !== requestId) throw new Error(`request_id ${body.request_id} != X-Request-Id ${requestId}`);
  const contentType = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  if (!contentType || !/^application\/json/.test(contentType)) throw new Error(`Content-Type ${contentType}: ${describe()}`);
  if (response.status >= 400) {
    if (typeof body.error_code !== 'string' || !/^(VPN|APIGW)\.\d{4}$/.test(body.error_code)) throw new Error(`error_code: ${describe()}`);
    if (typeof body.error_msg !== 'string' || body.error_msg.length === 0) throw new Error(`error_msg: ${describe()}`);
  }
}

/** `RELIABILITY: <file>: name=value, ...` for the README. */
export function printFigures(file: string, figures: Record<string, number | string>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  console.log(`RELIABILITY: ${file}: ${text}`);
}

type Handler = (event: any, context: any) => Promise<any>;

/** The functions as deployed (the credential cache of 60 s), over the given table: a cold container each call. */
export function buildHandlers(target: { tableName: string; endpoint: string; maxAttempts?: number; requestTimeoutMs?: number }): {
  api: Handler;
  events: Handler;
} {
  const { endpoint, maxAttempts, requestTimeoutMs } = target;
  const runtime = createRuntime({
    tableName: target.tableName,
    dynamoDb: { endpoint, ...(maxAttempts !== undefined ? { maxAttempts } : {}), ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}) },
    credentialCacheMs: DEFAULT_CREDENTIAL_CACHE_MS,
  });
  return { api: createApiHandler(runtime.ports, runtime.credentials) as Handler, events: createEventsHandler(runtime.ports) as Handler };
}
