/** HTTP adapter: the middy stack and the route table's operations; the rules live in lib/. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { CredentialLookup } from '../lib/auth/credentials';
import { headerOf, pathParametersOf, queryOf, routeOf, type ApiContext, type ApiEvent } from '../lib/http/http-event';
import { answerBeforeDeadline, authentication, jsonBody, requestEnvelope, routing } from '../lib/http/middlewares';
import { emptyResponse, jsonResponse, type ApiResult } from '../lib/http/responses';
import type { PathParameters, RouteName } from '../lib/http/routes';
import { logger } from '../lib/logger';
import { createRuntime, runtimeSettingsFromEnv } from '../lib/runtime';
import { checkClientCa, deleteClientCa, importClientCa, renameClientCa, showClientCa } from '../lib/vpn-servers/client-cas';
import { createVpnServer } from '../lib/vpn-servers/create';
import { exportClientConfig } from '../lib/vpn-servers/export-client-config';
import { listVpnServers } from '../lib/vpn-servers/list';
import type { UseCasePorts } from '../lib/vpn-servers/ports';
import { parseCreateVpnServer } from '../lib/vpn-servers/schemas/create-vpn-server';
import { parseCheckClientCa, parseClientCaTarget, parseImportClientCa, parseRenameClientCa } from '../lib/vpn-servers/schemas/client-ca';
import { parseExportClientConfig } from '../lib/vpn-servers/schemas/export-client-config';
import { parseListVpnServers } from '../lib/vpn-servers/schemas/list-vpn-servers';
import { parseUpdateVpnServer } from '../lib/vpn-servers/schemas/update-vpn-server';
import { updateVpnServer } from '../lib/vpn-servers/update';

interface OperationInput {
  event: ApiEvent;
  path: PathParameters;
  ports: UseCasePorts;
  signal: AbortSignal;
}
/** status 204: no body */
type Reply = { status: number; body?: object };
type Operation = (input: OperationInput) => Promise<Reply> | Reply;

const single = (values: string[] | undefined) => (values && values.length === 1 ? values[0] : values);
const clientToken = (event: ApiEvent) => ({ clientToken: headerOf(event, 'x-client-token'), clientTokenField: 'X-Client-Token' });

const OPERATIONS: Record<RouteName, Operation> = {
  createVpnServer: async ({ event, path, ports, signal }) => {
    const command = parseCreateVpnServer({ projectId: path.projectId, gatewayId: path.gatewayId, ...clientToken(event), body: event.body });
    const { id } = await createVpnServer(command, ports, signal);
    return { status: 201, body: { vpn_server: { id } } };
  },
  listVpnServersByGateway: async ({ path, ports }) => ({
    status: 200,
    body: await listVpnServers(parseListVpnServers({ projectId: path.projectId, gatewayId: path.gatewayId }), ports),
  }),
  listVpnServersByProject: async ({ event, path, ports }) => {
    const query = queryOf(event);
    const list = await listVpnServers(parseListVpnServers({ projectId: path.projectId, limit: single(query.limit), marker: single(query.marker) }), ports);
    return { status: 200, body: list };
  },
  updateVpnServer: async ({ event, path, ports, signal }) => {
    await updateVpnServer(parseUpdateVpnServer({ projectId: path.projectId, serverId: path.serverId, body: event.body }), ports, signal);
    return { status: 200, body: {} };
  },
  exportClientConfig: async ({ event, path, ports }) => ({
    status: 200,
    body: await exportClientConfig(parseExportClientConfig({ projectId: path.projectId, serverId: path.serverId, body: event.body }), ports),
  }),
  checkClientCaCertificate: ({ event, path, ports }) => {
    const { certificate } = parseCheckClientCa({ projectId: path.projectId, body: event.body });
    return { status: 200, body: checkClientCa(certificate, ports) };
  },
  importClientCa: async ({ event, path, ports, signal }) => {
    const command = parseImportClientCa({ projectId: path.projectId, serverId: path.serverId, ...clientToken(event), body: event.body });
    const { id } = await importClientCa(command, ports, signal);
    return { status: 201, body: { client_ca_certificate: { id } } };
  },
  showClientCa: async ({ path, ports }) => ({
    status: 200,
    body: { client_ca_certificate: await showClientCa(parseClientCaTarget(path), ports) },
  }),
  updateClientCa: async ({ event, path, ports, signal }) => {
    await renameClientCa(parseRenameClientCa({ ...path, body: event.body }), ports, signal);
    return { status: 200, body: {} };
  },
  deleteClientCa: async ({ path, ports, signal }) => {
    await deleteClientCa(parseClientCaTarget(path), ports, signal);
    return { status: 204 };
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
      const { status, body } = await OPERATIONS[routeOf(context).name]({ event, path: pathParametersOf(context), ports: useCasePorts, signal });
      return body ? jsonResponse(status, body, context.requestId) : emptyResponse(status, context.requestId);
    });
}

const runtime = createRuntime(runtimeSettingsFromEnv());
export const handler = createApiHandler(runtime.ports, runtime.credentials);
