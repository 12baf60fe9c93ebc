/** The one error type every layer throws (a Huawei error code, its HTTP status, a message) and one
 * constructor per error the service gives, each with its message. lib/http/responses.ts and
 * lib/events/invocation.ts turn them into the Huawei body with `errorBody`. */

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

/** The HTTP status of each code (the one an event's `status_code` carries too). */
export const STATUS_BY_CODE = {
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
  'VPN.0077': 400,
  'VPN.0429': 429,
  'APIGW.0101': 404,
  'APIGW.0301': 401,
} as const;

type ErrorCode = keyof typeof STATUS_BY_CODE;
export type CertificateErrorCode = Extract<ErrorCode, `VPN.007${number}`>;

const serviceError = (code: ErrorCode, message: string, retryAfter?: number): ServiceError =>
  new ServiceError(code, message, STATUS_BY_CODE[code], retryAfter);

/** The Huawei error body, without the request_id the adapter adds. */
export const errorBody = (error: ServiceError): { error_code: string; error_msg: string } => ({
  error_code: error.code,
  error_msg: error.message,
});

const INVALID_REQUEST_PREFIX = 'invalid request: ';

export const invalidRequest = (problems: readonly string[]): ServiceError =>
  serviceError('VPN.0001', `${INVALID_REQUEST_PREFIX}${problems.join('; ')}`);

/** A list's marker that this list did not give. */
export const unknownMarker = (rule: string): ServiceError => invalidRequest([`marker: ${rule}`]);

/** `what`: the thing and its id as the message names it ("vpn server 3f2a..."). */
export const notFound = (what: string): ServiceError => serviceError('VPN.0004', `${what} not found`);
export const gatewayNotFound = (id: string): ServiceError => notFound(`p2c vpn gateway ${id}`);
export const serverNotFound = (id: string): ServiceError => notFound(`vpn server ${id}`);
export const clientCaNotFound = (id: string): ServiceError => notFound(`client ca certificate ${id}`);
export const userNotFound = (id: string): ServiceError => notFound(`vpn user ${id}`);
/** `field`: the body's member that named the group, when not the path */
export const userGroupNotFound = (id: string, field?: string): ServiceError => notFound(`${field ? `${field}: ` : ''}user group ${id}`);
export const accessPolicyNotFound = (id: string): ServiceError => notFound(`access policy ${id}`);
/** a server certificate named by a body (`field` is its path) that the certificate store lacks */
export const certificateNotFound = (field: string, id: string): ServiceError => notFound(`${field}: certificate ${id}`);

/** The problem line of a name that something else already has (`field` is the name's path). */
export const nameTaken = (field: string, name: string, owner: string): string => `${field}: "${name}" is already the name of ${owner}`;

export const gatewayNotActive = (id: string, status: string): ServiceError =>
  serviceError('VPN.0016', `p2c vpn gateway ${id} is ${status}, not ACTIVE`);

export const gatewayHasServer = (id: string): ServiceError =>
  serviceError('VPN.0031', `p2c vpn gateway ${id} already has a vpn server`);

export const clientTokenReused = (): ServiceError =>
  serviceError('VPN.0031', 'the client token (X-Client-Token, client_token) was already used for a different request');

export const certificateRejected = (code: CertificateErrorCode, message: string): ServiceError => serviceError(code, message);

/** Import: the server already holds a certificate with this SHA-256 fingerprint. */
export const duplicateCertificate = (message: string): ServiceError => serviceError('VPN.0077', message);

export const RETRY_AFTER_SECONDS = 1;

/** The database stayed throttled or unreachable past the retries, or the function ran out of time. */
export const throttled = (retryAfter: number = RETRY_AFTER_SECONDS): ServiceError =>
  serviceError('VPN.0429', 'the request was throttled, retry later', retryAfter);

export const internalError = (): ServiceError => serviceError('VPN.0002', 'server error');

/** No route for the method and path, answered as API Gateway itself would. */
export const noSuchApi = (): ServiceError => serviceError('APIGW.0101', 'the API does not exist or has not been published');

export const payloadTooLarge = (limit: number): ServiceError =>
  new ServiceError('VPN.0001', `${INVALID_REQUEST_PREFIX}body larger than ${limit} bytes`, 413);

export const unsupportedMediaType = (): ServiceError =>
  new ServiceError('VPN.0001', `${INVALID_REQUEST_PREFIX}body must be JSON (Content-Type: application/json)`, 415);

export const authenticationFailed = (): ServiceError =>
  serviceError('APIGW.0301', 'authentication failed: incorrect IAM authentication information');

export const projectForbidden = (): ServiceError => serviceError('VPN.0007', 'the access key may not act in this project');
