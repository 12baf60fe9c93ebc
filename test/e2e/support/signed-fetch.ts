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
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: Record<string, any>;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const url = new URL(path, baseUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.append(name, value);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    host: url.host,
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
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
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}
