/** Errors of the HTTP transport itself: no such route, a body that is not JSON or too large. */
import { INVALID_REQUEST_PREFIX, ServiceError } from '../vpn-servers/errors';

export const noSuchApi = (): ServiceError => new ServiceError('APIGW.0101', 'the API does not exist or has not been published', 404);

export const payloadTooLarge = (limit: number): ServiceError =>
  new ServiceError('VPN.0001', `${INVALID_REQUEST_PREFIX}body larger than ${limit} bytes`, 413);

export const unsupportedMediaType = (): ServiceError =>
  new ServiceError('VPN.0001', `${INVALID_REQUEST_PREFIX}body must be JSON (Content-Type: application/json)`, 415);
