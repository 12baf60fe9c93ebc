/** The error responses of the document (CONTRACT.md section 6), and which of them an operation answers:
 * the common ones follow from its descriptor, and its `docs.errors` name what only it answers. */
import { MAX_BODY_BYTES, MAX_CLIENT_CAS } from '../core/limits';
import { pathIdsOf, type AnyOperation } from '../operations/operation';

export interface ErrorResponse {
  status: number;
  codes: readonly string[];
  description: string;
}

const BAD_REQUEST_CODES = ['VPN.0001', 'VPN.0070', 'VPN.0071', 'VPN.0072', 'VPN.0073', 'VPN.0074', 'VPN.0075', 'VPN.0076'];
const INVALID_REQUEST = 'VPN.0001: invalid request (`invalid request: ...`, naming every offending field by its path)';
const CERTIFICATE_CHECKS =
  'weak key (0070), MD5/SHA-1 signature (0071), expired (0072), not yet valid (0073), not one PEM CERTIFICATE ' +
  'block (0074), not an X.509 certificate (0075), not a CA (0076)';

export const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    codes: BAD_REQUEST_CODES,
    description:
      `${INVALID_REQUEST}. VPN.0070..VPN.0076: a client CA certificate (or the server certificate) failed a check: ` +
      `${CERTIFICATE_CHECKS}.`,
  },
  ClientCaImportBadRequest: {
    status: 400,
    codes: [...BAD_REQUEST_CODES, 'VPN.0077'],
    description:
      `${INVALID_REQUEST}, or the server cannot take this client CA: its client_auth_type is not CERT, it already ` +
      `holds ${MAX_CLIENT_CAS}, or one of them has this name. VPN.0070..VPN.0076: the certificate failed a check: ` +
      `${CERTIFICATE_CHECKS}. VPN.0077: the server already holds this certificate (same SHA-256 fingerprint).`,
  },
  Unauthorized: {
    status: 401,
    codes: ['APIGW.0301'],
    description: 'Authentication failed: missing or malformed Authorization, unknown access key, wrong signature or stale X-Sdk-Date.',
  },
  Forbidden: {
    status: 403,
    codes: ['VPN.0007'],
    description: 'The access key may not act in this project, or X-Project-Id differs from the path project_id.',
  },
  NotFound: {
    status: 404,
    codes: ['VPN.0004'],
    description:
      'What the path or body names does not exist in this project (another project\'s is not found either): the ' +
      'gateway, the VPN server, the client CA certificate, or the server certificate of a create or update.',
  },
  Conflict: {
    status: 409,
    codes: ['VPN.0016', 'VPN.0031'],
    description:
      'VPN.0016: the gateway is not ACTIVE. VPN.0031: the gateway already has a VPN server, or the X-Client-Token ' +
      'was already used for a different request.',
  },
  ClientTokenConflict: {
    status: 409,
    codes: ['VPN.0031'],
    description: 'VPN.0031: the X-Client-Token was already used for a different request.',
  },
  PayloadTooLarge: {
    status: 413,
    codes: ['VPN.0001'],
    description: `The body is larger than ${MAX_BODY_BYTES} bytes (after any base64 decoding).`,
  },
  UnsupportedMediaType: {
    status: 415,
    codes: ['VPN.0001'],
    description: 'The body is not JSON (Content-Type must be application/json).',
  },
  TooManyRequests: {
    status: 429,
    codes: ['VPN.0429'],
    description: 'The database stays throttled or unreachable after bounded retries, or the function ran out of time before it could answer; retry after the Retry-After header (with the same X-Client-Token, a retry completes the create or the import).',
  },
  InternalError: {
    status: 500,
    codes: ['VPN.0002'],
    description: 'Unexpected error (`server error`, no internals in the message).',
  },
} satisfies Record<string, ErrorResponse>;

type ErrorResponseName = keyof typeof ERROR_RESPONSES;

const isErrorResponseName = (name: string): name is ErrorResponseName => Object.hasOwn(ERROR_RESPONSES, name);

/**
 * The error responses an operation answers, by status. Always 400 (the path's ids are checked), 401,
 * 403, 429 and 500; 404 when the path names a resource (an id besides project_id); 409 when it takes
 * an X-Client-Token; 413 and 415 when it reads a body. Then each of `docs.errors` replaces the one of
 * its status, or adds it.
 */
export function errorResponsesOf(operation: AnyOperation): Map<number, ErrorResponseName> {
  const common: ErrorResponseName[] = [
    'BadRequest',
    'Unauthorized',
    'Forbidden',
    'TooManyRequests',
    'InternalError',
    ...(pathIdsOf(operation.path).some((id) => id !== 'project_id') ? (['NotFound'] as const) : []),
    ...(operation.clientToken ? (['ClientTokenConflict'] as const) : []),
    ...(operation.body !== 'none' ? (['PayloadTooLarge', 'UnsupportedMediaType'] as const) : []),
  ];
  const byStatus = new Map(common.map((name) => [ERROR_RESPONSES[name].status, name]));
  for (const name of operation.docs.errors ?? []) {
    if (!isErrorResponseName(name)) throw new Error(`lib/openapi: ${operation.name} names error response ${name}, which lib/openapi/errors.ts lacks`);
    byStatus.set(ERROR_RESPONSES[name].status, name);
  }
  return new Map([...byStatus].sort(([left], [right]) => left - right));
}
