import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ServiceError } from '../core/errors';
import { ACCESS_KEY_PATTERN } from '../core/patterns';
import { authenticationFailed } from '../core/errors';

/** Huawei Cloud AK/SK signing (SDK-HMAC-SHA256), as the official SDKs sign; the same code signs (CLI) and verifies (API). */

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const DATE_HEADER = 'x-sdk-date';
/** The SDKs put this header's value in place of the body hash; the Node SDK sends UNSIGNED-PAYLOAD for non-JSON bodies. */
const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface SignableRequest {
  method: string;
  /** raw path as sent on the wire (percent-encoding intact), without the query */
  path: string;
  query: Record<string, string | readonly string[] | undefined>;
  /** header names in any case */
  headers: Record<string, string | undefined>;
  body: Uint8Array | string;
}

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

const isUnreserved = (byte: number): boolean =>
  (byte >= 0x30 && byte <= 0x39) ||
  (byte >= 0x41 && byte <= 0x5a) ||
  (byte >= 0x61 && byte <= 0x7a) ||
  byte === 0x2d ||
  byte === 0x2e ||
  byte === 0x5f ||
  byte === 0x7e;

/** Percent-encodes every UTF-8 byte outside A-Za-z0-9-_.~ (stricter than encodeURIComponent, which keeps !'()*). */
function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalUri(path: string): string {
  const encoded = path.split('/').map(percentEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Sorted by the raw parameter name (as both SDKs do), repeated values sorted too. */
function canonicalQuery(query: SignableRequest['query']): string {
  const pairs: string[] = [];
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const item of values) pairs.push(`${percentEncode(name)}=${percentEncode(item)}`);
  }
  return pairs.join('&');
}

/** Lowercased names. The same header under two spellings with different values counts as absent. */
function headerMap(headers: SignableRequest['headers']): Map<string, string | undefined> {
  const map = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    map.set(key, map.has(key) && map.get(key) !== value ? undefined : value);
  }
  return map;
}

const isEmpty = (body: Uint8Array | string): boolean => (typeof body === 'string' ? body.length : body.byteLength) === 0;

/** `signedHeaders` are lowercase names, in the order the client listed them. */
export function canonicalRequest(req: SignableRequest, signedHeaders: readonly string[]): string {
  const headers = headerMap(req.headers);
  const headerLines = signedHeaders.map((name) => `${name}:${(headers.get(name) ?? '').trim()}\n`).join('');
  return [
    req.method.toUpperCase(),
    canonicalUri(req.path),
    canonicalQuery(req.query),
    headerLines,
    signedHeaders.join(';'),
    headers.get(CONTENT_SHA256_HEADER) ?? sha256Hex(req.body),
  ].join('\n');
}

const signature = (secretKey: string, sdkDate: string, canonical: string): string =>
  createHmac('sha256', secretKey).update(`${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`).digest('hex');

const formatSdkDate = (date: Date): string => `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

function parseSdkDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
  // Date.UTC rolls 20240230 over to March; the round trip rejects such dates.
  return formatSdkDate(date) === value ? date : undefined;
}

/**
 * Returns the headers to add (X-Sdk-Date, Authorization). By default every header of `req` is signed,
 * plus x-sdk-date, which is what the Node SDK does (it signs all headers present at signing time).
 */
export function signRequest(
  req: SignableRequest,
  credentials: { accessKey: string; secretKey: string },
  now: Date,
  signedHeaders?: readonly string[],
): Record<string, string> {
  const sdkDate = formatSdkDate(now);
  const headers: Record<string, string | undefined> = { 'X-Sdk-Date': sdkDate };
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() !== DATE_HEADER) headers[name] = value;
  }
  const names = signedHeaders ?? Object.keys(headers).filter((name) => headers[name] !== undefined);
  const sorted = [...new Set([...names.map((name) => name.toLowerCase()), DATE_HEADER])].sort();
  const sig = signature(credentials.secretKey, sdkDate, canonicalRequest({ ...req, headers }, sorted));
  return {
    'X-Sdk-Date': sdkDate,
    Authorization: `${ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${sorted.join(';')}, Signature=${sig}`,
  };
}

const PART_NAMES = new Set(['Access', 'SignedHeaders', 'Signature']);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

export function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  const prefix = `${ALGORITHM} `;
  if (value === undefined || !value.startsWith(prefix)) return undefined;
  const parts = new Map<string, string>();
  for (const part of value.slice(prefix.length).split(/,\s*/)) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq);
    if (eq < 0 || !PART_NAMES.has(name) || parts.has(name)) return undefined;
    parts.set(name, part.slice(eq + 1));
  }
  const accessKey = parts.get('Access');
  const signedHeaders = parts.get('SignedHeaders')?.split(';');
  const sig = parts.get('Signature');
  if (accessKey === undefined || !ACCESS_KEY_PATTERN.test(accessKey)) return undefined;
  if (sig === undefined || !/^[0-9a-f]{64}$/.test(sig)) return undefined;
  if (
    signedHeaders === undefined ||
    !signedHeaders.every((name) => HEADER_NAME.test(name)) ||
    new Set(signedHeaders).size !== signedHeaders.length ||
    !signedHeaders.includes(DATE_HEADER)
  ) {
    return undefined;
  }
  return { accessKey, signedHeaders, signature: sig };
}

/** The error carries a short reason in `cause` for the log line; it never holds a signature or secret. */
function refused(reason: string): ServiceError {
  const error = authenticationFailed();
  error.cause = reason;
  return error;
}

function payloadHashMatchesBody(body: Uint8Array | string, declared: string | undefined): boolean {
  if (declared === undefined) return true;
  // An unsigned payload is only acceptable when there is no payload to protect.
  if (declared === UNSIGNED_PAYLOAD) return isEmpty(body);
  return declared === sha256Hex(body);
}

/**
 * Verifies a request signed with SDK-HMAC-SHA256 and returns the signer's credential. Throws
 * authenticationFailed() on any failure; errors thrown by `lookup` pass through unchanged.
 */
export async function verifyRequest<C extends { secretKey: string }>(
  req: SignableRequest,
  lookup: (accessKey: string) => Promise<C | undefined>,
  now: Date,
): Promise<{ accessKey: string; credential: C }> {
  const headers = headerMap(req.headers);
  const auth = parseAuthorization(headers.get('authorization'));
  if (!auth) throw refused('missing or malformed Authorization');
  const sdkDate = headers.get(DATE_HEADER);
  if (sdkDate === undefined) throw refused('missing X-Sdk-Date');
  const signedAt = parseSdkDate(sdkDate);
  if (!signedAt) throw refused('malformed X-Sdk-Date');
  if (!(Math.abs(now.getTime() - signedAt.getTime()) <= MAX_CLOCK_SKEW_MS)) throw refused('X-Sdk-Date too far from now');
  if (auth.signedHeaders.some((name) => headers.get(name) === undefined)) throw refused('a signed header is absent');
  if (!payloadHashMatchesBody(req.body, headers.get(CONTENT_SHA256_HEADER))) {
    throw refused('X-Sdk-Content-Sha256 does not match the body');
  }
  const credential = await lookup(auth.accessKey);
  if (!credential) throw refused('unknown access key');
  const expected = Buffer.from(signature(credential.secretKey, sdkDate, canonicalRequest(req, auth.signedHeaders)), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) throw refused('signature mismatch');
  return { accessKey: auth.accessKey, credential };
}
