/** What the HTTP layer reads from an API Gateway event (payload v2, v1, or serverless-offline's). */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { MatchedRoute, PathParameters } from './routes';

export type ApiEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;

export interface ApiContext extends Context {
  requestId: string;
  /** set by the routing middleware */
  route?: MatchedRoute;
  /** the path's ids, validated: set by the authentication middleware (the contract checks them after the signature) */
  path?: PathParameters;
}

export function pathParametersOf(context: ApiContext): PathParameters {
  if (!context.path) throw new Error('authentication middleware did not run');
  return context.path;
}

export function routeOf(context: ApiContext): MatchedRoute {
  if (!context.route) throw new Error('routing middleware did not run');
  return context.route;
}

const isV2 = (event: ApiEvent): event is APIGatewayProxyEventV2 =>
  (event as APIGatewayProxyEventV2).version === '2.0' || 'rawPath' in event;

export const methodOf = (event: ApiEvent): string =>
  (isV2(event) ? event.requestContext?.http?.method : event.httpMethod)?.toUpperCase() ?? '';

export const pathOf = (event: ApiEvent): string => (isV2(event) ? event.rawPath : event.path) ?? '/';

/** Every value of every query parameter, as the client sent them. */
export function queryOf(event: ApiEvent): Record<string, string[]> {
  const query = Object.create(null) as Record<string, string[]>;
  if (isV2(event)) {
    for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) (query[name] ??= []).push(value);
    return query;
  }
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values) query[name] = [...values];
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query[name]) query[name] = [value];
  }
  return query;
}

/** The body as bytes, base64 decoded when the platform encoded it. */
export function rawBodyOf(event: ApiEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

export const headerOf = (event: ApiEvent, name: string): string | undefined => {
  const value = event.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
};
