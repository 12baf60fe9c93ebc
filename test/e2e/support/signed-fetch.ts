/** Every end-to-end HTTP request goes through here, signed as the Huawei SDKs sign (SDK-HMAC-SHA256). */
import { signRequest } from '../../../lib/auth/signing';
import { DEMO_CREDENTIAL } from '../../support/requests';

export interface CallOptions {
  body?: unknown;
  /** sent as is, instead of JSON.stringify(body) */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  credential?: { accessKey: string; secretKey: string };
  /** false: send without Authorization */
  sign?: boolean;
  /** the Content-Type of a body (default application/json); null: send the body without one */
  contentType?: string | null;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: Record<string, any>;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.append(name, value);
  const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  // fetch labels a string body text/plain itself; bytes it sends without a Content-Type
  const body = text !== undefined && contentType === null ? Buffer.from(text) : text;
  const headers: Record<string, string> = {
    host: url.host,
    ...(body !== undefined && contentType !== null ? { 'content-type': contentType } : {}),
    ...options.headers,
  };
  const signed =
    options.sign === false
      ? {}
      : signRequest(
          { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: body ?? '' },
          options.credential ?? DEMO_CREDENTIAL,
          new Date(),
        );
  const { host: _host, ...sendable } = headers;
  const response = await fetch(url, { method, headers: { ...sendable, ...signed }, ...(body !== undefined ? { body } : {}) });
  const answer = await response.text();
  return { status: response.status, headers: response.headers, json: answer ? JSON.parse(answer) : {} };
}
