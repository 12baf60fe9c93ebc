/** HTTP adapter: the middy stack and the route table's operations; the rules live in lib/. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { CredentialLookup } from '../lib/auth/credentials';
import { headerOf, queryOf, routeOf, type ApiContext, type ApiEvent } from '../lib/http/http-event';
import { answerBeforeDeadline, authentication, jsonBody, requestEnvelope, routing } from '../lib/http/middlewares';
import { jsonResponse, type ApiResult } from '../lib/http/responses';
import { pathParameters, type MatchedRoute, type RouteName } from '../lib/http/routes';
import { logger } from '../lib/logger';
import { createRuntime, runtimeSettingsFromEnv } from '../lib/runtime';
import { createVpnServer } from '../lib/vpn-servers/create';
import { listVpnServers } from '../lib/vpn-servers/list';
import type { UseCasePorts } from '../lib/vpn-servers/ports';
import { parseCreateVpnServer } from '../lib/vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../lib/vpn-servers/schemas/list-vpn-servers';

interface OperationInput {
  event: ApiEvent;
  route: MatchedRoute;
  ports: UseCasePorts;
  signal: AbortSignal;
}
type Operation = (input: OperationInput) => Promise<{ status: number; body: object }>;

const single = (values: string[] | undefined) => (values && values.length === 1 ? values[0] : values);

const OPERATIONS: Record<RouteName, Operation> = {
  createVpnServer: async ({ event, route, ports, signal }) => {
    const { projectId, gatewayId } = pathParameters(route);
    const command = parseCreateVpnServer({
      projectId,
      gatewayId,
      clientToken: headerOf(event, 'x-client-token'),
      clientTokenField: 'X-Client-Token',
      body: event.body,
    });
    const { id } = await createVpnServer(command, ports, signal);
    return { status: 201, body: { vpn_server: { id } } };
  },
  listVpnServersByGateway: async ({ route, ports }) => {
    const { projectId, gatewayId } = pathParameters(route);
    return { status: 200, body: await listVpnServers(parseListVpnServers({ projectId, gatewayId }), ports) };
  },
  listVpnServersByProject: async ({ event, route, ports }) => {
    const { projectId } = pathParameters(route);
    const query = queryOf(event);
    const list = await listVpnServers(parseListVpnServers({ projectId, limit: single(query.limit), marker: single(query.marker) }), ports);
    return { status: 200, body: list };
  },
};

/** The HTTP function over the given ports and credential lookup (tests pass their own). */
export function createApiHandler(useCasePorts: UseCasePorts, lookup: CredentialLookup) {
  return middy<ApiEvent, ApiResult, Error, ApiContext>(answerBeforeDeadline)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestEnvelope())
    .use(httpHeaderNormalizer())
    .use(routing())
    .use(authentication(lookup))
    .use(jsonBody())
    .handler(async (event, context, { signal }) => {
      const route = routeOf(context);
      const { status, body } = await OPERATIONS[route.name]({ event, route, ports: useCasePorts, signal });
      return jsonResponse(status, body, context.requestId);
    });
}

const runtime = createRuntime(runtimeSettingsFromEnv());
export const handler = createApiHandler(runtime.ports, runtime.credentials);
