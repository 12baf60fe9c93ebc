/** The document's paths, one operation per catalogue entry: its path ids as the path item's parameters,
 * the signing headers, X-Client-Token when it takes one, its query parameters, its body rule, its
 * success answer and its error responses (errors.ts). */
import { MAX_BODY_BYTES } from '../core/limits';
import { bodyFieldsOf, pathIdsOf, type AnyOperation } from '../operations/operation';
import { CLIENT_TOKEN_HEADER, SIGNING_HEADERS, parameterRef, ref, requestIdHeaders } from './components';
import { errorResponsesOf } from './errors';
import { requestBodyName, responseName } from './schemas';

function requestBody(operation: AnyOperation): object | undefined {
  if (operation.body === 'none') return undefined;
  if (!operation.bodySchema) throw new Error(`lib/openapi: ${operation.name} reads a body but has no bodySchema`);
  const members = bodyFieldsOf(operation).map((field) => `"${field}"`);
  const optional = operation.body === 'optional' ? `Optional: no body, {} or {${members.join(', ')}}. When sent: ` : '';
  return {
    required: operation.body === 'required',
    description: `${optional}JSON (application/json, any charset), at most ${MAX_BODY_BYTES} bytes.`,
    content: {
      'application/json': {
        schema: ref('schemas', requestBodyName(operation)),
        ...(operation.docs.example ? { example: operation.docs.example } : {}),
      },
    },
  };
}

function success(operation: AnyOperation): object {
  const { description, body } = operation.docs.success;
  return {
    description,
    headers: requestIdHeaders(),
    ...(body ? { content: { 'application/json': { schema: ref('schemas', responseName(operation)) } } } : {}),
  };
}

function operationObject(operation: AnyOperation): object {
  const { tag, summary, description, success: answer } = operation.docs;
  const body = requestBody(operation);
  return {
    operationId: operation.name,
    tags: [tag],
    summary,
    ...(description !== undefined ? { description } : {}),
    parameters: [
      ...SIGNING_HEADERS,
      ...(operation.clientToken ? [CLIENT_TOKEN_HEADER] : []),
      ...(operation.query ?? []),
    ].map(parameterRef),
    ...(body ? { requestBody: body } : {}),
    responses: {
      [String(answer.status)]: success(operation),
      ...Object.fromEntries([...errorResponsesOf(operation)].map(([status, name]) => [String(status), ref('responses', name)])),
    },
  };
}

/** The path items in the catalogue's order; two operations of one path share its item. */
export function paths(operations: readonly AnyOperation[]): Record<string, Record<string, unknown>> {
  const items: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const item = (items[operation.path] ??= { parameters: pathIdsOf(operation.path).map(parameterRef) });
    const method = operation.method.toLowerCase();
    if (item[method]) throw new Error(`lib/openapi: two operations are ${operation.method} ${operation.path}`);
    item[method] = operationObject(operation);
  }
  return items;
}
