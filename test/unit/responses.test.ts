import httpJsonBodyParser from '@middy/http-json-body-parser';
import { errorResponse, jsonResponse, toServiceError } from '../../lib/http/responses';
import { authenticationFailed, projectForbidden } from '../../lib/core/errors';
import { noSuchApi, payloadTooLarge, unsupportedMediaType } from '../../lib/core/errors';
import { certificateRejected, clientTokenReused, gatewayHasServer, gatewayNotActive, internalError, invalidRequest, isServiceError, notFound, ServiceError, throttled } from '../../lib/core/errors';

const REQUEST_ID = '0123456789abcdef0123456789abcdef';

function parsedBody(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

/** An error as middy's createError builds it: an Error with a numeric statusCode. */
function middyError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode, expose: statusCode < 500 });
}

/** What @middy/http-json-body-parser really throws for `event`. */
function bodyParserError(event: { headers: Record<string, string>; body?: string }): unknown {
  const middleware = httpJsonBodyParser();
  try {
    (middleware.before as (request: unknown) => void)({ event: { ...event, isBase64Encoded: false }, context: {}, response: undefined, error: undefined, internal: {} });
  } catch (error) {
    return error;
  }
  throw new Error('the body parser did not throw');
}

describe('error factories', () => {
  test.each<[string, ServiceError, number, string]>([
    ['invalidRequest', invalidRequest(['a: is required', 'b: unknown field']), 400, 'VPN.0001'],
    ['payloadTooLarge', payloadTooLarge(262_144), 413, 'VPN.0001'],
    ['unsupportedMediaType', unsupportedMediaType(), 415, 'VPN.0001'],
    ['notFound', notFound('p2c vpn gateway x'), 404, 'VPN.0004'],
    ['gatewayNotActive', gatewayNotActive('gw', 'PENDING_CREATE'), 409, 'VPN.0016'],
    ['gatewayHasServer', gatewayHasServer('gw'), 409, 'VPN.0031'],
    ['clientTokenReused', clientTokenReused(), 409, 'VPN.0031'],
    ['authenticationFailed', authenticationFailed(), 401, 'APIGW.0301'],
    ['projectForbidden', projectForbidden(), 403, 'VPN.0007'],
    ['noSuchApi', noSuchApi(), 404, 'APIGW.0101'],
    ['throttled', throttled(3), 429, 'VPN.0429'],
    ['internalError', internalError(), 500, 'VPN.0002'],
  ])('%s -> %d %s', (_name, error, status, code) => {
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toBeInstanceOf(Error);
    expect(isServiceError(error)).toBe(true);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
  });

  test.each(['VPN.0070', 'VPN.0071', 'VPN.0072', 'VPN.0073', 'VPN.0074', 'VPN.0075', 'VPN.0076'] as const)(
    'certificateRejected(%s) is 400 with that code and message',
    (code) => {
      const error = certificateRejected(code, 'the certificate is bad');
      expect(error.status).toBe(400);
      expect(error.code).toBe(code);
      expect(error.message).toBe('the certificate is bad');
    },
  );

  test('invalidRequest joins every problem after "invalid request: "', () => {
    expect(invalidRequest(['a: is required', 'b: unknown field']).message).toBe('invalid request: a: is required; b: unknown field');
  });

  test('payloadTooLarge and unsupportedMediaType messages are "invalid request: ..."', () => {
    expect(payloadTooLarge(262_144).message).toMatch(/^invalid request: .*262144/);
    expect(unsupportedMediaType().message).toMatch(/^invalid request: /);
  });

  test('internalError says exactly "server error"', () => {
    expect(internalError().message).toBe('server error');
  });

  test('only throttled carries a retryAfter', () => {
    expect(throttled(7).retryAfter).toBe(7);
    expect(invalidRequest(['x']).retryAfter).toBeUndefined();
    expect(internalError().retryAfter).toBeUndefined();
  });

  test('isServiceError is false for other errors and values', () => {
    expect(isServiceError(new Error('x'))).toBe(false);
    expect(isServiceError({ code: 'VPN.0001', status: 400, message: 'x' })).toBe(false);
    expect(isServiceError(undefined)).toBe(false);
  });
});

describe('errorResponse', () => {
  test('the body has error_code, error_msg and request_id, and X-Request-Id equals request_id', () => {
    const result = errorResponse(notFound('p2c vpn gateway gw'), REQUEST_ID);
    expect(result.statusCode).toBe(404);
    expect(parsedBody(result)).toEqual({ error_code: 'VPN.0004', error_msg: 'p2c vpn gateway gw not found', request_id: REQUEST_ID });
    expect(result.headers?.['X-Request-Id']).toBe(REQUEST_ID);
    expect(result.headers?.['Content-Type']).toBe('application/json');
  });

  test('the status comes from the error, including the 413 and 415 overrides of VPN.0001', () => {
    expect(errorResponse(payloadTooLarge(1), REQUEST_ID).statusCode).toBe(413);
    expect(errorResponse(unsupportedMediaType(), REQUEST_ID).statusCode).toBe(415);
    expect(parsedBody(errorResponse(unsupportedMediaType(), REQUEST_ID)).error_code).toBe('VPN.0001');
  });

  test('a throttled error has a Retry-After header in seconds', () => {
    const result = errorResponse(throttled(2), REQUEST_ID);
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['Retry-After']).toBe('2');
    expect(parsedBody(result).error_code).toBe('VPN.0429');
  });

  test('other errors have no Retry-After header', () => {
    expect(errorResponse(invalidRequest(['x']), REQUEST_ID).headers).not.toHaveProperty('Retry-After');
    expect(errorResponse(internalError(), REQUEST_ID).headers).not.toHaveProperty('Retry-After');
  });
});

describe('jsonResponse', () => {
  test('adds request_id to the body and X-Request-Id to the headers, keeping extra headers', () => {
    const result = jsonResponse(201, { vpn_server: { id: 'x' } }, REQUEST_ID, { Location: '/x' });
    expect(result.statusCode).toBe(201);
    expect(parsedBody(result)).toEqual({ vpn_server: { id: 'x' }, request_id: REQUEST_ID });
    expect(result.headers).toEqual({ 'Content-Type': 'application/json', 'X-Request-Id': REQUEST_ID, Location: '/x' });
  });

  test('a request_id in the body cannot override the real one', () => {
    expect(parsedBody(jsonResponse(200, { request_id: 'forged' }, REQUEST_ID)).request_id).toBe(REQUEST_ID);
  });
});

describe('toServiceError', () => {
  test('a ServiceError is returned as it is', () => {
    const error = gatewayHasServer('gw');
    expect(toServiceError(error)).toBe(error);
  });

  test('a middy 415 becomes 415 VPN.0001', () => {
    const error = toServiceError(middyError(415, 'Unsupported Media Type'));
    expect(error.status).toBe(415);
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toMatch(/^invalid request: /);
  });

  test('a middy 422 (malformed JSON) becomes 400 VPN.0001', () => {
    const error = toServiceError(middyError(422, 'Invalid or malformed JSON was provided'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toBe('invalid request: body: malformed JSON');
  });

  test('a middy forbidden-key 422 becomes 400 VPN.0001 naming the forbidden key', () => {
    const error = toServiceError(middyError(422, 'Forbidden key in JSON body'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toContain('__proto__');
  });

  test('the real JSON body parser errors map to 415 and 400', () => {
    const wrongType = toServiceError(bodyParserError({ headers: { 'content-type': 'text/plain' }, body: '{}' }));
    expect([wrongType.status, wrongType.code]).toEqual([415, 'VPN.0001']);
    const malformed = toServiceError(bodyParserError({ headers: { 'content-type': 'application/json' }, body: '{"a":' }));
    expect([malformed.status, malformed.code]).toEqual([400, 'VPN.0001']);
    const forbidden = toServiceError(
      bodyParserError({ headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"x":1}}' }),
    );
    expect([forbidden.status, forbidden.code]).toEqual([400, 'VPN.0001']);
  });

  test('a middy error with another status (500) is not passed on as a client error', () => {
    const error = toServiceError(middyError(500, 'middleware blew up: secret-internal-detail'));
    expect(error.status).toBe(500);
    expect(error.code).toBe('VPN.0002');
    expect(error.message).toBe('server error');
  });

  const secret = 'ECONNREFUSED 10.1.2.3:8000 table=vpn-prod key=AKIDSECRET';

  test.each<[string, unknown]>([
    ['an Error', new Error(secret)],
    ['a TypeError', new TypeError(secret)],
    ['an AWS-style error', Object.assign(new Error(secret), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } })],
    ['a string', secret],
    ['a plain object with a statusCode', { statusCode: 415, message: secret }],
    ['a plain object with a code', { code: 'VPN.0001', status: 400, message: secret }],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
  ])('%s becomes 500 VPN.0002 "server error" without internals', (_label, value) => {
    const error = toServiceError(value);
    expect(error.status).toBe(500);
    expect(error.code).toBe('VPN.0002');
    expect(error.message).toBe('server error');
    const result = errorResponse(error, REQUEST_ID);
    expect(result.statusCode).toBe(500);
    expect(parsedBody(result)).toEqual({ error_code: 'VPN.0002', error_msg: 'server error', request_id: REQUEST_ID });
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('AKIDSECRET');
    expect(JSON.stringify(result.headers)).not.toContain('AKIDSECRET');
  });
});
