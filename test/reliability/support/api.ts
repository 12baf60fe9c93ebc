/** The API's promises about every response, as assertions usable inside fast-check properties. */
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

export async function loadApiHandler(env: Record<string, string>): Promise<(event: any, context: any) => Promise<any>> {
  Object.assign(process.env, { CREDENTIAL_CACHE_MS: '60000', POWERTOOLS_LOG_LEVEL: 'INFO', ...env });
  const { handler } = await import('../../../handlers/api');
  return handler as never;
}
