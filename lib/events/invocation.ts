/** The operations without HTTP (contract section 7): a payload in, `{status_code, body}` out, with the
 * same bodies the HTTP API gives. Client errors are results; throttling and anything unexpected are
 * thrown, so the platform retries (an async invoke or an SQS record). */
import * as z from 'zod/mini';
import { checkClientCa, deleteClientCa, importClientCa, renameClientCa, showClientCa } from '../vpn-servers/client-cas';
import { createVpnServer } from '../vpn-servers/create';
import { exportClientConfig } from '../vpn-servers/export-client-config';
import { errorBody, isServiceError } from '../core/errors';
import { newRequestId } from '../core/ids';
import { parseOrThrow } from '../core/issues';
import { listVpnServers } from '../vpn-servers/list';
import type { UseCasePorts } from '../vpn-servers/ports';
import { parseCreateVpnServer } from '../vpn-servers/schemas/create-vpn-server';
import { parseCheckClientCa, parseClientCaTarget, parseImportClientCa, parseRenameClientCa } from '../vpn-servers/schemas/client-ca';
import { parseExportClientConfig } from '../vpn-servers/schemas/export-client-config';
import { parseListVpnServers } from '../vpn-servers/schemas/list-vpn-servers';
import { parseUpdateVpnServer } from '../vpn-servers/schemas/update-vpn-server';
import { updateVpnServer } from '../vpn-servers/update';

export interface InvocationResult {
  status_code: number;
  body: Record<string, unknown> & { request_id: string };
}

export interface InvocationOptions {
  /** the SQS message id: makes a redelivered record idempotent when it carries no client_token */
  fallbackClientToken?: string;
}

type Reply = { status: number; body: object };
type Action = (payload: unknown, ports: UseCasePorts, options: InvocationOptions) => Promise<Reply> | Reply;

/** Each action's payload: the HTTP path's ids and the body's object at the top level, each checked by the use case's parser. */
const payload = <S extends z.core.$ZodLooseShape>(action: string, shape: S) =>
  z.strictObject({ action: z.literal(action), ...shape });

const createPayload = payload('CreateVpnServer', {
  project_id: z.unknown(),
  p2c_vgw_id: z.unknown(),
  client_token: z.optional(z.unknown()),
  vpn_server: z.unknown(),
});
const listByGatewayPayload = payload('ListVpnServersByVgw', { project_id: z.unknown(), p2c_vgw_id: z.unknown() });
const listByProjectPayload = payload('ListVpnServersByProject', { project_id: z.unknown(), limit: z.optional(z.unknown()), marker: z.optional(z.unknown()) });
const updatePayload = payload('UpdateVpnServer', { project_id: z.unknown(), vpn_server_id: z.unknown(), vpn_server: z.unknown() });
const importPayload = payload('ImportClientCa', {
  project_id: z.unknown(),
  vpn_server_id: z.unknown(),
  client_token: z.optional(z.unknown()),
  client_ca_certificate: z.unknown(),
});
const clientCaPayload = (action: string) =>
  payload(action, { project_id: z.unknown(), vpn_server_id: z.unknown(), client_ca_certificate_id: z.unknown() });
const showPayload = clientCaPayload('ShowClientCa');
const deletePayload = clientCaPayload('DeleteClientCa');
const renamePayload = payload('UpdateClientCa', {
  project_id: z.unknown(),
  vpn_server_id: z.unknown(),
  client_ca_certificate_id: z.unknown(),
  client_ca_certificate: z.unknown(),
});
const checkPayload = payload('CheckClientCaCertificate', { project_id: z.unknown(), client_ca_certificate: z.unknown() });
const exportPayload = payload('ExportClientConfig', { project_id: z.unknown(), vpn_server_id: z.unknown(), os_type: z.optional(z.unknown()) });

/** A JSON number where the HTTP API has a query string (`limit: 50`): checked by the same rule. */
const queryValue = (value: unknown): unknown => (typeof value === 'number' ? String(value) : value);

/** The token of a create or import: the payload's, else (SQS) the message id. */
const tokenOf = (given: unknown, options: InvocationOptions) => ({
  clientToken: given ?? options.fallbackClientToken,
  clientTokenField: given === undefined && options.fallbackClientToken ? 'messageId' : 'client_token',
});

const ACTIONS: Record<string, Action> = {
  CreateVpnServer: async (input, ports, options) => {
    const create = parseOrThrow(createPayload, input);
    const command = parseCreateVpnServer({
      projectId: create.project_id,
      gatewayId: create.p2c_vgw_id,
      ...tokenOf(create.client_token, options),
      body: { vpn_server: create.vpn_server },
    });
    const { id } = await createVpnServer(command, ports);
    return { status: 201, body: { vpn_server: { id } } };
  },
  ListVpnServersByVgw: async (input, ports) => {
    const list = parseOrThrow(listByGatewayPayload, input);
    return {
      status: 200,
      body: await listVpnServers(parseListVpnServers({ projectId: list.project_id, gatewayId: list.p2c_vgw_id }), ports),
    };
  },
  ListVpnServersByProject: async (input, ports) => {
    const list = parseOrThrow(listByProjectPayload, input);
    return { status: 200, body: await listVpnServers(parseListVpnServers({ projectId: list.project_id, limit: queryValue(list.limit), marker: list.marker }), ports) };
  },
  UpdateVpnServer: async (input, ports) => {
    const update = parseOrThrow(updatePayload, input);
    await updateVpnServer(parseUpdateVpnServer({ projectId: update.project_id, serverId: update.vpn_server_id, body: { vpn_server: update.vpn_server } }), ports);
    return { status: 200, body: {} };
  },
  ImportClientCa: async (input, ports, options) => {
    const request = parseOrThrow(importPayload, input);
    const command = parseImportClientCa({
      projectId: request.project_id,
      serverId: request.vpn_server_id,
      ...tokenOf(request.client_token, options),
      body: { client_ca_certificate: request.client_ca_certificate },
    });
    const { id } = await importClientCa(command, ports);
    return { status: 201, body: { client_ca_certificate: { id } } };
  },
  ShowClientCa: async (input, ports) => {
    const show = parseOrThrow(showPayload, input);
    const target = parseClientCaTarget({ projectId: show.project_id, serverId: show.vpn_server_id, caId: show.client_ca_certificate_id });
    return { status: 200, body: { client_ca_certificate: await showClientCa(target, ports) } };
  },
  UpdateClientCa: async (input, ports) => {
    const rename = parseOrThrow(renamePayload, input);
    await renameClientCa(
      parseRenameClientCa({
        projectId: rename.project_id,
        serverId: rename.vpn_server_id,
        caId: rename.client_ca_certificate_id,
        body: { client_ca_certificate: rename.client_ca_certificate },
      }),
      ports,
    );
    return { status: 200, body: {} };
  },
  DeleteClientCa: async (input, ports) => {
    const remove = parseOrThrow(deletePayload, input);
    await deleteClientCa(parseClientCaTarget({ projectId: remove.project_id, serverId: remove.vpn_server_id, caId: remove.client_ca_certificate_id }), ports);
    return { status: 204, body: {} };
  },
  CheckClientCaCertificate: (input, ports) => {
    const check = parseOrThrow(checkPayload, input);
    const { certificate } = parseCheckClientCa({ projectId: check.project_id, body: { client_ca_certificate: check.client_ca_certificate } });
    return { status: 200, body: checkClientCa(certificate, ports) };
  },
  ExportClientConfig: async (input, ports) => {
    const request = parseOrThrow(exportPayload, input);
    const body = request.os_type === undefined ? {} : { os_type: request.os_type };
    return { status: 200, body: await exportClientConfig(parseExportClientConfig({ projectId: request.project_id, serverId: request.vpn_server_id, body }), ports) };
  },
};

const actionSchema = z.looseObject({ action: z.enum(Object.keys(ACTIONS) as [string, ...string[]]) });

export async function invoke(input: unknown, ports: UseCasePorts, options: InvocationOptions = {}): Promise<InvocationResult> {
  const requestId = newRequestId();
  try {
    const { action } = parseOrThrow(actionSchema, input);
    const { status, body } = await ACTIONS[action]!(input, ports, options);
    return { status_code: status, body: { ...body, request_id: requestId } };
  } catch (error) {
    if (!isServiceError(error) || error.status >= 500 || error.status === 429) throw error;
    return { status_code: error.status, body: { ...errorBody(error), request_id: requestId } };
  }
}
