/** Every error the service can answer with. The HTTP status of each code lives here and nowhere else;
 * lib/http/responses.ts turns a ServiceError into the Huawei error body. */
const STATUS_BY_CODE = {
  'VPN.0001': 400,
  'VPN.0002': 500,
  'VPN.0004': 404,
  'VPN.0007': 403,
  'VPN.0016': 409,
  'VPN.0031': 409,
  'VPN.0070': 400,
  'VPN.0071': 400,
  'VPN.0072': 400,
  'VPN.0073': 400,
  'VPN.0074': 400,
  'VPN.0075': 400,
  'VPN.0076': 400,
  'VPN.0429': 429,
  'APIGW.0101': 404,
  'APIGW.0301': 401,
} as const;

export type ErrorCode = keyof typeof STATUS_BY_CODE;
export type CertificateErrorCode = Extract<ErrorCode, `VPN.007${number}`>;

export class ServiceError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** overrides the code's status where one code has several (413 and 415 are VPN.0001) */
    status?: number,
    /** seconds, sent as Retry-After */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
    this.status = status ?? STATUS_BY_CODE[code];
  }
}

export const isServiceError = (error: unknown): error is ServiceError => error instanceof ServiceError;

export const invalidRequest = (problems: readonly string[]): ServiceError =>
  new ServiceError('VPN.0001', `invalid request: ${problems.join('; ')}`);

export const payloadTooLarge = (limit: number): ServiceError =>
  new ServiceError('VPN.0001', `invalid request: body larger than ${limit} bytes`, 413);

export const unsupportedMediaType = (): ServiceError =>
  new ServiceError('VPN.0001', 'invalid request: body must be JSON (Content-Type: application/json)', 415);

export const notFound = (what: string): ServiceError => new ServiceError('VPN.0004', `${what} not found`);

export const gatewayNotActive = (id: string, status: string): ServiceError =>
  new ServiceError('VPN.0016', `p2c vpn gateway ${id} is ${status}, not ACTIVE`);

export const gatewayHasServer = (id: string): ServiceError =>
  new ServiceError('VPN.0031', `p2c vpn gateway ${id} already has a vpn server`);

export const clientTokenReused = (): ServiceError =>
  new ServiceError('VPN.0031', 'the client token (X-Client-Token, client_token) was already used for a different request');

export const certificateRejected = (code: CertificateErrorCode, message: string): ServiceError =>
  new ServiceError(code, message);

export const authenticationFailed = (): ServiceError =>
  new ServiceError('APIGW.0301', 'authentication failed: incorrect IAM authentication information');

export const projectForbidden = (): ServiceError =>
  new ServiceError('VPN.0007', 'the access key may not act in this project');

export const noSuchApi = (): ServiceError => new ServiceError('APIGW.0101', 'the API does not exist or has not been published');

export const RETRY_AFTER_SECONDS = 1;

/** The database stayed throttled or unreachable past the retries, or the function ran out of time. */
export const throttled = (retryAfter: number = RETRY_AFTER_SECONDS): ServiceError =>
  new ServiceError('VPN.0429', 'the request was throttled, retry later', undefined, retryAfter);

export const internalError = (): ServiceError => new ServiceError('VPN.0002', 'server error');
