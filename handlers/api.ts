/** HTTP adapter: middy wiring and event translation; the rules live in lib/. */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { headerOf, queryOf, routeOf, type ApiContext, type ApiEvent } from '../lib/http/http-event';
import { answerBeforeDeadline, authentication, jsonBody, requestEnvelope, routing } from '../lib/http/middlewares';
import { jsonResponse, type ApiResult } from '../lib/http/responses';
import { pathParameters } from '../lib/http/routes';
import { credentials, ports } from '../lib/runtime';
import { createVpnServer } from '../lib/vpn-servers/create';
import { listVpnServers } from '../lib/vpn-servers/list';
import { parseCreateVpnServer, parseListVpnServers } from '../lib/vpn-servers/request';

async function handle(event: ApiEvent, context: ApiContext, { signal }: { signal: AbortSignal }): Promise<ApiResult> {
  const route = routeOf(context);
  const { projectId, gatewayId } = pathParameters(route);
  if (route.name === 'createVpnServer') {
    const command = parseCreateVpnServer({
      projectId,
      gatewayId,
      clientToken: headerOf(event, 'x-client-token'),
      clientTokenField: 'X-Client-Token',
      body: event.body,
    });
    const { id } = await createVpnServer(command, ports, signal);
    return jsonResponse(201, { vpn_server: { id } }, context.requestId);
  }
  const query = queryOf(event);
  const single = (values: string[] | undefined) => (values && values.length === 1 ? values[0] : values);
  const list = await listVpnServers(
    parseListVpnServers(
      route.name === 'listVpnServersByGateway'
        ? { projectId, gatewayId }
        : { projectId, limit: single(query.limit), marker: single(query.marker) },
    ),
    ports,
  );
  return jsonResponse(200, list, context.requestId);
}

export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>(answerBeforeDeadline)
  .use(requestEnvelope())
  .use(httpHeaderNormalizer())
  .use(routing())
  .use(authentication(credentials))
  .use(jsonBody())
  .handler(handle);
