/** HTTP adapter: middy wiring and event translation; the rules live in lib/. */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { cachedLookup } from '../lib/auth/credential-cache';
import { headerOf, queryOf, routeOf, type ApiContext, type ApiEvent } from '../lib/http/http-event';
import { authentication, jsonBody, requestEnvelope, routing } from '../lib/http/middlewares';
import { jsonResponse, type ApiResult } from '../lib/http/responses';
import { pathParameters } from '../lib/http/routes';
import { createDynamoDbClient, dynamoDbSettingsFromEnv } from '../lib/store/client';
import { DynamoStore } from '../lib/store/dynamo-store';
import { createVpnServer } from '../lib/vpn-servers/create';
import { listVpnServers } from '../lib/vpn-servers/list';
import type { UseCasePorts } from '../lib/vpn-servers/ports';
import { parseCreateVpnServer, parseListVpnServers } from '../lib/vpn-servers/request';

const CREDENTIAL_CACHE_MS = Number(process.env.CREDENTIAL_CACHE_MS ?? 60_000);

const store = new DynamoStore(createDynamoDbClient(dynamoDbSettingsFromEnv()), process.env.TABLE_NAME ?? 'p2c-vpn-dev');
const ports: UseCasePorts = { store, now: () => new Date(), newId: randomUUID };
const credentials = cachedLookup(async (accessKey: string) => {
  const credential = await store.getCredential(accessKey);
  return credential && { secretKey: credential.secret_key, projectIds: credential.project_ids };
}, CREDENTIAL_CACHE_MS);

async function handle(event: ApiEvent, context: ApiContext): Promise<ApiResult> {
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
    const { id } = await createVpnServer(command, ports);
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

export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(requestEnvelope())
  .use(httpHeaderNormalizer())
  .use(routing())
  .use(authentication(credentials))
  .use(jsonBody())
  .handler(handle);
