/** API Gateway HTTP API (payload v2) events for calling handlers/api in process, signed as the Huawei
 * SDKs sign (SDK-HMAC-SHA256 over host, content-type and x-sdk-date), and their responses parsed.
 *
 *   const { handler } = await import('../../handlers/api');   // after setting process.env
 *   const response = await callApi(handler, createEvent(PROJECT, GATEWAY, passwordAuthExample(), { clientToken }));
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { signRequest } from '../../lib/auth/signing';
import { gatewayServersPath, projectServersPath } from './paths';
import { DEMO_CREDENTIAL } from './requests';

const API_HOST = 'vpn.eu-west-101.myhuaweicloud.test';

export interface SigningCredential {
  accessKey: string;
  secretKey: string;
}

export interface ApiRequest {
  method: string;
  /** the raw path as sent on the wire (percent-encoding intact) */
  path: string;
  /** the raw query string, without `?` */
  query?: string;
  /** a string is sent as is, bytes are sent base64 encoded (isBase64Encoded), anything else as JSON */
  body?: unknown;
  /** send a string body base64 encoded as given: the string is the base64 text (possibly invalid) */
  base64Body?: string;
  /** default application/json when there is a body; null: no content-type header */
  contentType?: string | null;
  /** header names as given (any case); added after signing, so not signed */
  headers?: Record<string, string>;
  clientToken?: string;
  /** default the demo credential; null: unsigned */
  credential?: SigningCredential | null;
  /** the signing time; default now */
  signedAt?: Date;
}

/** Every Authorization signature produced here, so log scans can look for them. */
export const issuedSignatures = new Set<string>();

/** The bytes the handler will see (lib/http/http-event.ts rawBodyOf). */
function bodyOf(request: ApiRequest): { body?: string; isBase64Encoded: boolean; bytes: Buffer } {
  if (request.base64Body !== undefined) {
    return { body: request.base64Body, isBase64Encoded: true, bytes: Buffer.from(request.base64Body, 'base64') };
  }
  const { body } = request;
  if (body === undefined) return { isBase64Encoded: false, bytes: Buffer.alloc(0) };
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
    const bytes = Buffer.from(body);
    return { body: bytes.toString('base64'), isBase64Encoded: true, bytes };
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { body: text, isBase64Encoded: false, bytes: Buffer.from(text, 'utf8') };
}

function queryRecord(rawQuery: string): Record<string, string[]> {
  const query: Record<string, string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(rawQuery)) (query[name] ??= []).push(value);
  return query;
}

export function apiEvent(request: ApiRequest): APIGatewayProxyEventV2 {
  const { body, isBase64Encoded, bytes } = bodyOf(request);
  const contentType = request.contentType === undefined ? (body !== undefined ? 'application/json' : undefined) : request.contentType;
  const headers: Record<string, string> = { host: API_HOST };
  if (contentType !== null && contentType !== undefined) headers['content-type'] = contentType;
  const credential = request.credential === undefined ? DEMO_CREDENTIAL : request.credential;
  if (credential) {
    const signed = signRequest(
      { method: request.method, path: request.path, query: queryRecord(request.query ?? ''), headers: { ...headers }, body: bytes },
      credential,
      request.signedAt ?? new Date(),
    );
    headers['x-sdk-date'] = signed['X-Sdk-Date']!;
    headers.authorization = signed.Authorization!;
    const signature = /Signature=([0-9a-f]{64})/.exec(headers.authorization)?.[1];
    if (signature) issuedSignatures.add(signature);
  }
  if (request.clientToken !== undefined) headers['x-client-token'] = request.clientToken;
  Object.assign(headers, request.headers ?? {});
  const rawQueryString = request.query ?? '';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'p2cvpnapi',
      domainName: API_HOST,
      domainPrefix: 'vpn',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'jest' },
      requestId: 'apigw-request',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded,
  };
}

/** POST .../p2c-vpn-gateways/{gateway}/vpn-servers with a JSON body, signed with the demo key unless told. */
export const createEvent = (
  projectId: string,
  gatewayId: string,
  body: unknown,
  options: Omit<ApiRequest, 'method' | 'path' | 'body'> = {},
): APIGatewayProxyEventV2 => apiEvent({ ...options, method: 'POST', path: gatewayServersPath(projectId, gatewayId), body });

export const listByGatewayEvent = (
  projectId: string,
  gatewayId: string,
  options: Omit<ApiRequest, 'method' | 'path'> = {},
): APIGatewayProxyEventV2 => apiEvent({ ...options, method: 'GET', path: gatewayServersPath(projectId, gatewayId) });

export const listByProjectEvent = (
  projectId: string,
  options: Omit<ApiRequest, 'method' | 'path'> = {},
): APIGatewayProxyEventV2 => apiEvent({ ...options, method: 'GET', path: projectServersPath(projectId) });

/** A minimal Lambda context; without getRemainingTimeInMillis middy sets no early timeout. */
export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'p2c-vpn-dev-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:p2c-vpn-dev-api',
    memoryLimitInMB: '512',
    awsRequestId: 'lambda-request',
    logGroupName: '/aws/lambda/p2c-vpn-dev-api',
    logStreamName: 'local',
    ...overrides,
  } as Context;
}

export interface ApiResponse {
  status: number;
  /** header names as the handler wrote them */
  headers: Record<string, string>;
  /** the body parsed as JSON; undefined when it is not JSON */
  json: Record<string, any> | undefined;
  rawBody: string;
}

type ApiHandler = (event: any, context: any) => Promise<any>;

export async function callApi(handler: ApiHandler, event: APIGatewayProxyEventV2, context: Context = lambdaContext()): Promise<ApiResponse> {
  const result = await handler(event, context);
  const rawBody = typeof result?.body === 'string' ? result.body : '';
  let json: Record<string, any> | undefined;
  try {
    json = JSON.parse(rawBody);
  } catch {
    json = undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result?.headers ?? {})) headers[name] = String(value);
  return { status: result?.statusCode, headers, json, rawBody };
}

/** The X-Request-Id header, whatever case the handler wrote it in. */
export const requestIdHeader = (response: ApiResponse): string | undefined =>
  Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'x-request-id')?.[1];

export const headerValue = (response: ApiResponse, name: string): string | undefined =>
  Object.entries(response.headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
