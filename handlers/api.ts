/** HTTP adapter: the middy stack around the catalogue's operation for the route; the rules live in lib/. */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { CredentialLookup } from '../lib/auth/credentials';
import { headerOf, pathParametersOf, queryOf, routeOf, type ApiContext, type ApiEvent } from '../lib/http/http-event';
import { answerBeforeDeadline, authentication, jsonBody, requestEnvelope, routing } from '../lib/http/middlewares';
import { emptyResponse, jsonResponse, type ApiResult } from '../lib/http/responses';
import { createRouter } from '../lib/http/routes';
import { invocationLogger } from '../lib/logger';
import { OPERATIONS } from '../lib/operations/catalogue';
import { perform, type AnyOperation } from '../lib/operations/operation';
import type { ServicePorts } from '../lib/operations/ports';
import { createRuntime, runtimeSettingsFromEnv } from '../lib/runtime';

/** The operation's query parameters, one value each: a repeated one stays a list, which its rule refuses. */
function queryFor(operation: AnyOperation, event: ApiEvent): Record<string, unknown> {
  const query = queryOf(event);
  const values: Record<string, unknown> = {};
  for (const name of operation.query ?? []) {
    const given = query[name];
    if (given) values[name] = given.length === 1 ? given[0] : given;
  }
  return values;
}

/** The HTTP function over the given ports, credential lookup and catalogue (tests pass their own). */
export function createApiHandler(ports: ServicePorts, lookup: CredentialLookup, operations: readonly AnyOperation[] = OPERATIONS) {
  return middy<ApiEvent, ApiResult, Error, ApiContext>(answerBeforeDeadline)
    .use(invocationLogger())
    .use(requestEnvelope())
    .use(httpHeaderNormalizer())
    .use(routing(createRouter(operations)))
    .use(authentication(lookup))
    .use(jsonBody())
    .handler(async (event, context, { signal }) => {
      const { operation } = routeOf(context);
      const request = {
        ids: pathParametersOf(context),
        query: queryFor(operation, event),
        clientToken: headerOf(event, 'x-client-token'),
        clientTokenField: 'X-Client-Token',
        body: event.body,
      };
      const { status, body } = await perform(operation, request, ports, signal);
      return body ? jsonResponse(status, body, context.requestId) : emptyResponse(status, context.requestId);
    });
}

const runtime = createRuntime(runtimeSettingsFromEnv());
export const handler = createApiHandler(runtime.ports, runtime.credentials);
