/** The document's reusable parts: the parameters (path ids, headers, paging), the X-Request-Id header,
 * the error responses and the schemas. */
import { MAX_CLOCK_SKEW_MS } from '../auth/signing';
import { projectIdSchema, requestIdSchema, uuidSchema } from '../core/ids';
import { CLIENT_TOKEN_RETENTION_SECONDS, MAX_PAGE_LIMIT } from '../core/limits';
import { pageQuerySchema } from '../core/paging';
import { PROJECT_ID_RULE, UUID_RULE } from '../core/patterns';
import type { AnyOperation } from '../operations/operation';
import { ERROR_RESPONSES, type ErrorResponse } from './errors';
import { inlineSchema, property, ruleText, type JsonSchema } from './json-schema';
import { schemaComponents } from './schemas';

type ComponentKind = 'schemas' | 'parameters' | 'responses' | 'headers';

export const ref = (kind: ComponentKind, name: string) => ({ $ref: `#/components/${kind}/${name}` });

const SECONDS_PER_HOUR = 3600;

const pathParameter = (name: string, description: string, schema: JsonSchema) => ({ name, in: 'path', required: true, description, schema });

const memberIdText = (what: string) =>
  `${what} ID: a UUID in any case (else 400 VPN.0001); one of another server or project is not found (404 VPN.0004).`;

/** Each id a path template may name ({project_id}, ...). */
const PATH_PARAMETERS = {
  project_id: pathParameter('project_id', `Project ID: ${ruleText(PROJECT_ID_RULE)} (else 400 VPN.0001).`, inlineSchema(projectIdSchema)),
  p2c_vgw_id: pathParameter(
    'p2c_vgw_id',
    'P2C VPN gateway ID: a UUID (else 400 VPN.0001). A gateway of another project is not found (404).',
    inlineSchema(uuidSchema),
  ),
  vpn_server_id: pathParameter(
    'vpn_server_id',
    'VPN server ID: a UUID in any case (else 400 VPN.0001). A server of another project is not found (404 VPN.0004).',
    inlineSchema(uuidSchema),
  ),
  client_ca_certificate_id: pathParameter(
    'client_ca_certificate_id',
    'Client CA certificate ID: a UUID in any case (else 400 VPN.0001); one of another server is not found (404 VPN.0004).',
    inlineSchema(uuidSchema),
  ),
  user_id: pathParameter('user_id', memberIdText('VPN user'), inlineSchema(uuidSchema)),
  group_id: pathParameter('group_id', `${memberIdText('User group')} The default group's id is listed first by ListVpnUserGroups.`, inlineSchema(uuidSchema)),
  policy_id: pathParameter('policy_id', memberIdText('Access policy'), inlineSchema(uuidSchema)),
};

/** The headers every call signs, and the one token-taking calls read. */
export const SIGNING_HEADERS = ['X-Sdk-Date', 'X-Project-Id'] as const;
export const CLIENT_TOKEN_HEADER = 'X-Client-Token';

const HEADER_PARAMETERS = {
  'X-Sdk-Date': {
    name: 'X-Sdk-Date',
    in: 'header',
    required: true,
    description: `Signing time, UTC; at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes from the server's clock. Must be a signed header.`,
    schema: { type: 'string', pattern: '^\\d{8}T\\d{6}Z$', examples: ['20240521T081500Z'] },
  },
  'X-Project-Id': {
    name: 'X-Project-Id',
    in: 'header',
    required: false,
    description: 'When sent, must equal the path project_id (else 403 VPN.0007).',
    schema: inlineSchema(projectIdSchema),
  },
  [CLIENT_TOKEN_HEADER]: {
    name: CLIENT_TOKEN_HEADER,
    in: 'header',
    required: false,
    description:
      `Idempotency token (${ruleText(UUID_RULE)}; else 400 VPN.0001), scoped to the project and kept at least ` +
      `${CLIENT_TOKEN_RETENTION_SECONDS / SECONDS_PER_HOUR} hours.`,
    schema: inlineSchema(uuidSchema),
  },
};

/** The paging of every list (lib/core/paging.ts). `limit` is checked by a refinement, which zod's JSON
 * Schema cannot state: as a query parameter it is an integer in range. */
const QUERY_PARAMETERS = {
  limit: {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Page size: an integer from 1 to ${MAX_PAGE_LIMIT}; default ${MAX_PAGE_LIMIT}.`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT },
  },
  marker: {
    name: 'marker',
    in: 'query',
    required: false,
    description: 'Opaque: page_info.next_marker of the previous page.',
    schema: property(inlineSchema(pageQuerySchema), 'marker'),
  },
};

const PARAMETERS: Readonly<Record<string, object>> = { ...PATH_PARAMETERS, ...HEADER_PARAMETERS, ...QUERY_PARAMETERS };

/** A $ref to the parameter `name`; throws when the document has none, so a new id or query name surfaces. */
export function parameterRef(name: string): object {
  if (!Object.hasOwn(PARAMETERS, name)) throw new Error(`lib/openapi: no parameter component ${name} (add it to lib/openapi/components.ts)`);
  return ref('parameters', name);
}

const REQUEST_ID_HEADER = { description: 'The request_id of the body.', schema: inlineSchema(requestIdSchema) };

export const requestIdHeaders = () => ({ 'X-Request-Id': ref('headers', 'X-Request-Id') });

function errorResponse({ status, codes, description }: ErrorResponse): object {
  return {
    description: `${status}: ${description}`,
    headers: {
      ...requestIdHeaders(),
      ...(status === 429 ? { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } } : {}),
    },
    content: {
      'application/json': {
        schema: { allOf: [ref('schemas', 'ErrorBody'), { properties: { error_code: { enum: [...new Set(codes)] } } }] },
      },
    },
  };
}

export const components = (operations: readonly AnyOperation[]) => ({
  parameters: PARAMETERS,
  headers: { 'X-Request-Id': REQUEST_ID_HEADER },
  responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, response]) => [name, errorResponse(response)])),
  schemas: schemaComponents(operations),
});
