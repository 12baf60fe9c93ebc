/** The operations without HTTP (contract section 7): a payload in, `{status_code, body}` out, with the
 * same bodies the HTTP API gives. Client errors are results; throttling and anything unexpected are
 * thrown, so the platform retries (an async invoke or an SQS record). */
import * as z from 'zod/mini';
import { createVpnServer } from '../vpn-servers/create';
import { errorBody, isServiceError } from '../vpn-servers/errors';
import { newRequestId } from '../vpn-servers/ids';
import { parseOrThrow } from '../vpn-servers/issues';
import { listVpnServers } from '../vpn-servers/list';
import type { UseCasePorts } from '../vpn-servers/ports';
import { parseCreateVpnServer } from '../vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../vpn-servers/schemas/list-vpn-servers';

export interface InvocationResult {
  status_code: number;
  body: Record<string, unknown> & { request_id: string };
}

export interface InvocationOptions {
  /** the SQS message id: makes a redelivered record idempotent when it carries no client_token */
  fallbackClientToken?: string;
}

type Action = (payload: unknown, ports: UseCasePorts, options: InvocationOptions) => Promise<{ status: number; body: object }>;

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

const ACTIONS: Record<string, Action> = {
  CreateVpnServer: async (input, ports, options) => {
    const create = parseOrThrow(createPayload, input);
    const command = parseCreateVpnServer({
      projectId: create.project_id,
      gatewayId: create.p2c_vgw_id,
      clientToken: create.client_token ?? options.fallbackClientToken,
      clientTokenField: create.client_token === undefined && options.fallbackClientToken ? 'messageId' : 'client_token',
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
