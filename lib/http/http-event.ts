/** What the HTTP layer reads from an API Gateway HTTP API event (payload v2, as serverless-offline sends it too). */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { MatchedRoute } from './routes';

export type ApiEvent = APIGatewayProxyEventV2;

export interface ApiContext extends Context {
  requestId: string;
  /** set by the routing middleware */
  route?: MatchedRoute;
  /** the path's ids, validated: set by the authentication middleware (the contract checks them after the signature) */
  path?: Record<string, string>;
}

export function pathParametersOf(context: ApiContext): Record<string, string> {
  if (!context.path) throw new Error('authentication middleware did not run');
  return context.path;
}

export function routeOf(context: ApiContext): MatchedRoute {
  if (!context.route) throw new Error('routing middleware did not run');
  return context.route;
}

export const methodOf = (event: ApiEvent): string => event.requestContext?.http?.method?.toUpperCase() ?? '';

export const pathOf = (event: ApiEvent): string => event.rawPath ?? '/';

/** Every value of every query parameter, as the client sent them. */
export function queryOf(event: ApiEvent): Record<string, string[]> {
  const query = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) (query[name] ??= []).push(value);
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
