/**
 * The peer's AK/SK check (CONTRACT.md section 2) as a plain middy `before` middleware: parse the
 * Authorization header, read the access key's item from the table on every call (no cache, as a
 * textbook does), rebuild the SDK-HMAC-SHA256 signature and compare. Runs before the JSON body
 * parser, so it hashes the body as sent.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PeerError } from './rules';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const encode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalRequest(event: APIGatewayProxyEventV2, signedHeaders: string[]): string {
  const method = event.requestContext.http.method;
  const path = event.rawPath.split('/').map(encode).join('/');
  const uri = path.endsWith('/') ? path : `${path}/`;
  const query = [...new URLSearchParams(event.rawQueryString ?? '')]
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .sort()
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${(event.headers[name] ?? '').trim()}\n`).join('');
  const body = event.body === undefined ? '' : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return [method, uri, query, headers, signedHeaders.join(';'), sha256(body)].join('\n');
}

function parseSdkDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

export function signatureAuth(documents: DynamoDBDocumentClient, tableName: string): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const { headers, pathParameters } = request.event;
      const unauthorized = new PeerError(401, 'APIGW.0301', 'authentication failed');
      const match = /^SDK-HMAC-SHA256 Access=([A-Za-z0-9]+), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        headers.authorization ?? '',
      );
      if (!match) throw unauthorized;
      const [, accessKey, signedHeaderList, signature] = match as unknown as [string, string, string, string];
      const signedHeaders = signedHeaderList.split(';');
      const date = headers['x-sdk-date'] ?? '';
      if (!signedHeaders.includes('x-sdk-date') || !(Math.abs(Date.now() - parseSdkDate(date)) <= 15 * 60 * 1000)) {
        throw unauthorized;
      }
      const { Item: credential } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { pk: `ACCESSKEY#${accessKey}`, sk: 'CREDENTIAL' } }),
      );
      if (!credential) throw unauthorized;
      const stringToSign = ['SDK-HMAC-SHA256', date, sha256(canonicalRequest(request.event, signedHeaders))].join('\n');
      const expected = createHmac('sha256', String(credential.secret_key)).update(stringToSign).digest();
      if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw unauthorized;
      const projects = credential.project_ids as string[];
      if (!projects.includes(pathParameters?.project_id ?? '')) {
        throw new PeerError(403, 'VPN.0007', 'the access key may not act in this project');
      }
    },
  };
}
