/** The operations without HTTP (contract section 7): a payload in, `{status_code, body}` out, with the
 * same bodies the HTTP API gives. Client errors are results; throttling and anything unexpected are
 * thrown, so the platform retries (an async invoke or an SQS record). */
import * as z from 'zod/mini';
import { newRequestId } from '../http/middlewares';
import { createVpnServer } from '../vpn-servers/create';
import { isServiceError } from '../vpn-servers/errors';
import { listVpnServers } from '../vpn-servers/list';
import type { UseCasePorts } from '../vpn-servers/ports';
import { parseCreateVpnServer, parseListVpnServers, parseOrThrow } from '../vpn-servers/request';

const actionSchema = z.looseObject({ action: z.enum(['CreateVpnServer', 'ListVpnServersByVgw']) });
const createPayloadSchema = z.strictObject({
  action: z.literal('CreateVpnServer'),
  project_id: z.unknown(),
  p2c_vgw_id: z.unknown(),
  client_token: z.optional(z.unknown()),
  vpn_server: z.unknown(),
});
const listPayloadSchema = z.strictObject({
  action: z.literal('ListVpnServersByVgw'),
  project_id: z.unknown(),
  p2c_vgw_id: z.unknown(),
});

export interface InvocationResult {
  status_code: number;
  body: Record<string, unknown> & { request_id: string };
}

export interface InvocationOptions {
  /** the SQS message id: makes a redelivered record idempotent when it carries no client_token */
  fallbackClientToken?: string;
}

async function run(payload: unknown, ports: UseCasePorts, options: InvocationOptions): Promise<{ status: number; body: object }> {
  const { action } = parseOrThrow(actionSchema, payload);
  if (action === 'CreateVpnServer') {
    const create = parseOrThrow(createPayloadSchema, payload);
    const command = parseCreateVpnServer({
      projectId: create.project_id,
      gatewayId: create.p2c_vgw_id,
      clientToken: create.client_token ?? options.fallbackClientToken,
      clientTokenField: create.client_token === undefined && options.fallbackClientToken ? 'messageId' : 'client_token',
      body: { vpn_server: create.vpn_server },
    });
    const { id } = await createVpnServer(command, ports);
    return { status: 201, body: { vpn_server: { id } } };
  }
  const list = parseOrThrow(listPayloadSchema, payload);
  return {
    status: 200,
    body: await listVpnServers(parseListVpnServers({ projectId: list.project_id, gatewayId: list.p2c_vgw_id }), ports),
  };
}

export async function invoke(payload: unknown, ports: UseCasePorts, options: InvocationOptions = {}): Promise<InvocationResult> {
  const requestId = newRequestId();
  try {
    const { status, body } = await run(payload, ports, options);
    return { status_code: status, body: { ...body, request_id: requestId } };
  } catch (error) {
    if (!isServiceError(error) || error.status >= 500 || error.status === 429) throw error;
    return { status_code: error.status, body: { error_code: error.code, error_msg: error.message, request_id: requestId } };
  }
}
