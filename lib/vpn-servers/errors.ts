/** The error every layer throws (a Huawei error code, its HTTP status, a message), the feature's own
 * errors (one constructor per error_code) and the Huawei error body. Transport errors (routing, media
 * type, size) live in lib/http/errors.ts, authentication errors in lib/auth/errors.ts; lib/http/responses.ts
 * and lib/events/invocation.ts both answer with `errorBody`. */

export class ServiceError extends Error {
  constructor(
    /** VPN.xxxx or APIGW.xxxx */
    readonly code: string,
    message: string,
    readonly status: number,
    /** seconds, sent as Retry-After */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const isServiceError = (error: unknown): error is ServiceError => error instanceof ServiceError;

/** The HTTP status of each of the feature's codes (the one an event's `status_code` carries too). */
export const STATUS_BY_CODE = {
  'VPN.0001': 400,
  'VPN.0002': 500,
  'VPN.0004': 404,
  'VPN.0016': 409,
  'VPN.0031': 409,
  'VPN.0070': 400,
  'VPN.0071': 400,
  'VPN.0072': 400,
  'VPN.0073': 400,
  'VPN.0074': 400,
  'VPN.0075': 400,
  'VPN.0076': 400,
  'VPN.0077': 400,
  'VPN.0429': 429,
} as const;

type DomainErrorCode = keyof typeof STATUS_BY_CODE;
export type CertificateErrorCode = Extract<DomainErrorCode, `VPN.007${number}`>;

const domainError = (code: DomainErrorCode, message: string, retryAfter?: number): ServiceError =>
  new ServiceError(code, message, STATUS_BY_CODE[code], retryAfter);

/** The Huawei error body, without the request_id the adapter adds. */
export const errorBody = (error: ServiceError): { error_code: string; error_msg: string } => ({
  error_code: error.code,
  error_msg: error.message,
});

export const INVALID_REQUEST_PREFIX = 'invalid request: ';

export const invalidRequest = (problems: readonly string[]): ServiceError =>
  domainError('VPN.0001', `${INVALID_REQUEST_PREFIX}${problems.join('; ')}`);

export const notFound = (what: string): ServiceError => domainError('VPN.0004', `${what} not found`);

export const gatewayNotActive = (id: string, status: string): ServiceError =>
  domainError('VPN.0016', `p2c vpn gateway ${id} is ${status}, not ACTIVE`);

export const gatewayHasServer = (id: string): ServiceError =>
  domainError('VPN.0031', `p2c vpn gateway ${id} already has a vpn server`);

export const clientTokenReused = (): ServiceError =>
  domainError('VPN.0031', 'the client token (X-Client-Token, client_token) was already used for a different request');

export const certificateRejected = (code: CertificateErrorCode, message: string): ServiceError => domainError(code, message);

/** Import: the server already holds a certificate with this SHA-256 fingerprint. */
export const duplicateCertificate = (message: string): ServiceError => domainError('VPN.0077', message);

export const RETRY_AFTER_SECONDS = 1;

/** The database stayed throttled or unreachable past the retries, or the function ran out of time. */
export const throttled = (retryAfter: number = RETRY_AFTER_SECONDS): ServiceError =>
  domainError('VPN.0429', 'the request was throttled, retry later', retryAfter);

export const internalError = (): ServiceError => domainError('VPN.0002', 'server error');
