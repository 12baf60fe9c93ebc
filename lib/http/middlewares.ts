/** The API's middy middlewares, in the order the contract checks things: request id and error body
 * around everything; then the route (404), the signature (401), the path and project (400, 403),
 * and for bodies the media type (415), size (413) and encoding (400) before JSON parsing. */
import type middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { CredentialLookup } from '../auth/credentials';
import { verifyRequest } from '../auth/signing';
import { assertProjectAccess } from '../auth/project-access';
import { loggerOf } from '../logger';
import { invalidRequest, throttled } from '../core/errors';
import { newRequestId } from '../core/ids';
import { noSuchApi, payloadTooLarge, unsupportedMediaType } from '../core/errors';
import { MAX_BODY_BYTES } from '../core/limits';
import { headerOf, methodOf, pathOf, queryOf, rawBodyOf, routeOf, type ApiContext, type ApiEvent } from './http-event';
import { errorResponse, toServiceError, type ApiResult } from './responses';
import { pathParameters, type Router } from './routes';

type ApiMiddleware = middy.MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext>;

const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/** middy's plugin options: this long before the Lambda deadline, a handler still waiting on DynamoDB is
 * answered 429 VPN.0429 (retry later; with the same X-Client-Token the retry completes the create)
 * instead of the platform's timeout. The before-middlewares (the access key read) are not raced; each
 * DynamoDB call has its own bound (lib/store/client.ts). */
export const ANSWER_BEFORE_DEADLINE_MS = 500;
export const answerBeforeDeadline = {
  timeoutEarlyInMillis: ANSWER_BEFORE_DEADLINE_MS,
  timeoutEarlyResponse: (): never => {
    throw throttled();
  },
};

/** Outermost but for the invocation's logger: a request id for every call, the X-Request-Id header and
 * request_id on every answer, every error as the Huawei body, one log line per call. */
export function requestEnvelope(): ApiMiddleware {
  return {
    before: (request) => {
      request.context.requestId = newRequestId();
      loggerOf(request.context).appendKeys({ request_id: request.context.requestId });
    },
    after: (request) => {
      loggerOf(request.context).info('request completed', { operation: request.context.route?.operation.name, status: request.response?.statusCode });
    },
    onError: (request) => {
      const logger = loggerOf(request.context);
      const error = toServiceError(request.error);
      const requestId = request.context.requestId ?? newRequestId();
      if (error.status >= 500) {
        logger.error('request failed', { error: request.error as Error });
      } else {
        logger.info('request refused', {
          operation: request.context.route?.operation.name,
          status: error.status,
          error_code: error.code,
          reason: error.message,
        });
      }
      request.response = errorResponse(error, requestId);
    },
  };
}

export function routing(router: Router): ApiMiddleware {
  return {
    before: (request) => {
      const route = router(methodOf(request.event), pathOf(request.event));
      if (!route) throw noSuchApi();
      request.context.route = route;
    },
  };
}

/** SDK-HMAC-SHA256 over the raw bytes, then the path's format, then the key's project binding. */
export function authentication(lookup: CredentialLookup, now: () => Date = () => new Date()): ApiMiddleware {
  return {
    before: async (request) => {
      const { event } = request;
      const { accessKey, credential } = await verifyRequest(
        {
          method: methodOf(event),
          path: pathOf(event),
          query: queryOf(event),
          headers: event.headers ?? {},
          body: rawBodyOf(event),
        },
        lookup,
        now(),
      );
      loggerOf(request.context).appendKeys({ access_key: accessKey });
      request.context.path = pathParameters(routeOf(request.context));
      assertProjectAccess(credential, request.context.path.project_id!, headerOf(event, 'x-project-id'));
    },
  };
}

/** For body-carrying routes: JSON media type, size after base64 decoding, UTF-8, then middy's parser. A
 * route whose body is optional takes no body at all as no body (older Node SDKs export without one). */
export function jsonBody(): ApiMiddleware {
  const parser = httpJsonBodyParser({ disableContentTypeCheck: true });
  return {
    before: async (request) => {
      const { event } = request;
      const { body } = routeOf(request.context).operation;
      if (body === 'none') return;
      const raw = rawBodyOf(event);
      if (body === 'optional' && raw.byteLength === 0) {
        event.body = undefined;
        return;
      }
      if (!JSON_MEDIA_TYPE.test(headerOf(event, 'content-type') ?? '')) throw unsupportedMediaType();
      if (raw.byteLength > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      } catch {
        throw invalidRequest(['body: must be UTF-8 encoded JSON']);
      }
      event.body = text;
      event.isBase64Encoded = false;
      await parser.before?.(request);
    },
  };
}
