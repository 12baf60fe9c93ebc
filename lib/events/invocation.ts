/** The operations without HTTP (contract section 7): a payload in, `{status_code, body}` out, with the
 * same bodies the HTTP API gives. A payload is the action's name, the path's ids, the query parameters,
 * `client_token` where the operation takes one, and the body's members, all at the top level. Client
 * errors are results; throttling and anything unexpected are thrown, so the platform retries (an async
 * invoke or an SQS record). */
import * as z from 'zod/mini';
import { errorBody, isServiceError } from '../core/errors';
import { newRequestId } from '../core/ids';
import { parseOrThrow } from '../core/issues';
import { OPERATIONS } from '../operations/catalogue';
import { bodyFieldsOf, parseIds, pathIdsOf, perform, type AnyOperation, type OperationRequest } from '../operations/operation';
import type { ServicePorts } from '../operations/ports';

export interface InvocationResult {
  status_code: number;
  body: Record<string, unknown> & { request_id: string };
}

export interface InvocationOptions {
  /** the SQS message id: makes a redelivered record idempotent when it carries no client_token */
  fallbackClientToken?: string;
  /** the catalogue to serve (tests pass their own) */
  operations?: readonly AnyOperation[];
}

const payloadSchemas = new Map<AnyOperation, z.ZodMiniObject>();

/** The payload's allowed members: each is checked by the operation's own rules after this. */
function payloadSchemaOf(operation: AnyOperation): z.ZodMiniObject {
  let schema = payloadSchemas.get(operation);
  if (!schema) {
    const optional = [...(operation.query ?? []), ...(operation.clientToken ? ['client_token'] : []), ...bodyFieldsOf(operation)];
    schema = z.strictObject({
      action: z.literal(operation.name),
      ...Object.fromEntries(pathIdsOf(operation.path).map((name) => [name, z.unknown()])),
      ...Object.fromEntries(optional.map((name) => [name, z.optional(z.unknown())])),
    });
    payloadSchemas.set(operation, schema);
  }
  return schema;
}

/** A JSON number where the HTTP API has a query string (`limit: 50`): checked by the same rule. */
const queryValue = (value: unknown): unknown => (typeof value === 'number' ? String(value) : value);

function requestOf(operation: AnyOperation, input: unknown, options: InvocationOptions): OperationRequest {
  const payload = parseOrThrow(payloadSchemaOf(operation), input) as Record<string, unknown>;
  const present = (names: readonly string[]) => names.filter((name) => payload[name] !== undefined);
  const bodyFields = present(bodyFieldsOf(operation));
  const body =
    operation.body === 'none' || (operation.body === 'optional' && bodyFields.length === 0)
      ? undefined
      : Object.fromEntries(bodyFields.map((name) => [name, payload[name]]));
  const token = payload.client_token;
  const fallback = operation.clientToken && token === undefined ? options.fallbackClientToken : undefined;
  return {
    ids: parseIds(operation, payload),
    query: Object.fromEntries(present(operation.query ?? []).map((name) => [name, queryValue(payload[name])])),
    clientToken: fallback ?? token,
    clientTokenField: fallback ? 'messageId' : 'client_token',
    body,
  };
}

const actionSchemas = new WeakMap<readonly AnyOperation[], z.ZodMiniType<{ action: string }>>();
const actionSchemaOf = (operations: readonly AnyOperation[]) => {
  let schema = actionSchemas.get(operations);
  if (!schema) actionSchemas.set(operations, (schema = z.looseObject({ action: z.enum(operations.map((operation) => operation.name) as [string, ...string[]]) })));
  return schema;
};

export async function invoke(input: unknown, ports: ServicePorts, options: InvocationOptions = {}): Promise<InvocationResult> {
  const requestId = newRequestId();
  const operations = options.operations ?? OPERATIONS;
  try {
    const { action } = parseOrThrow(actionSchemaOf(operations), input);
    const operation = operations.find((candidate) => candidate.name === action)!;
    const { status, body } = await perform(operation, requestOf(operation, input, options), ports);
    return { status_code: status, body: { ...body, request_id: requestId } };
  } catch (error) {
    if (!isServiceError(error) || error.status >= 500 || error.status === 429) throw error;
    return { status_code: error.status, body: { ...errorBody(error), request_id: requestId } };
  }
}
