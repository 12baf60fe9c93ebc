/** The one place a result or a ServiceError becomes an HTTP response (the Huawei body with request_id). */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { errorBody, internalError, invalidRequest, isServiceError, type ServiceError } from '../core/errors';
import { unsupportedMediaType } from '../core/errors';

export type ApiResult = APIGatewayProxyResult;

export function jsonResponse(statusCode: number, body: object, requestId: string, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId, ...headers },
    body: JSON.stringify({ ...body, request_id: requestId }),
  };
}

/** A success without a body (a 204): only the X-Request-Id header. */
export const emptyResponse = (statusCode: number, requestId: string): ApiResult => ({
  statusCode,
  headers: { 'X-Request-Id': requestId },
  body: '',
});

/** middy's own HTTP errors (the JSON body parser's 415 and 422) */
const isMiddyHttpError = (error: unknown): error is Error & { statusCode: number } =>
  error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number';

/** Known errors keep their code; middy's parser errors become VPN.0001; anything else is VPN.0002. */
export function toServiceError(error: unknown): ServiceError {
  if (isServiceError(error)) return error;
  if (isMiddyHttpError(error)) {
    if (error.statusCode === 415) return unsupportedMediaType();
    if (error.statusCode === 422 || error.statusCode === 400) {
      return invalidRequest([`body: ${error.message === 'Forbidden key in JSON body' ? 'forbidden key __proto__ or constructor' : 'malformed JSON'}`]);
    }
  }
  return internalError();
}

export function errorResponse(error: ServiceError, requestId: string): ApiResult {
  return jsonResponse(
    error.status,
    errorBody(error),
    requestId,
    error.retryAfter !== undefined ? { 'Retry-After': String(error.retryAfter) } : {},
  );
}
