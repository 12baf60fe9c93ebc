/**
 * The OpenAPI 3.1 document of the endpoints (CONTRACT.md), generated from the operations' zod schemas
 * (lib/vpn-servers/schemas/) with zod's JSON Schema output, plus the response shapes below.
 * `npm run openapi` writes lib/http/openapi.json; test/unit/openapi.test.ts fails when that file
 * drifts from what this module generates, and checks that the document accepts exactly the bodies
 * the schemas accept. Not part of the function bundles.
 *
 * Every syntax rule of the schemas is a regex, which JSON Schema states as a pattern; the one rule
 * across fields (CERT needs client CAs, LOCAL_PASSWORD takes none) is stated here as if/then/else.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import packageJson from '../../package.json';
import { ALGORITHM, MAX_CLOCK_SKEW_MS } from '../auth/signing';
import { CIDR_FORMAT_RULE } from '../vpn-servers/cidr';
import { projectIdSchema, requestIdSchema, uuidSchema } from '../vpn-servers/ids';
import { DEFAULT_PAGE_LIMIT, MAX_CLIENT_CAS } from '../vpn-servers/limits';
import { createVpnServerBodySchema, createVpnServerRequestSchema } from '../vpn-servers/schemas/create-vpn-server';
import { listQuerySchema } from '../vpn-servers/schemas/list-vpn-servers';
import { apiServerSchema } from '../vpn-servers/schemas/server';
import { MAX_BODY_BYTES } from './http-event';

type JsonSchema = z.core.JSONSchema.BaseSchema;

export const OPENAPI_FILE = join(__dirname, 'openapi.json');

// ---------------------------------------------------------------------------------------------
// Response envelopes (lib/http/responses.ts builds them around lib/vpn-servers/view.ts's server)

export const createVpnServerResponseSchema = z.strictObject({
  vpn_server: z.strictObject({ id: uuidSchema }),
  request_id: requestIdSchema,
});

export const listVpnServersResponseSchema = z.strictObject({
  vpn_servers: z.array(apiServerSchema),
  total_count: z.int().check(z.minimum(0)),
  page_info: z.strictObject({
    next_marker: z.optional(z.string()),
    current_count: z.int().check(z.minimum(0)),
  }),
  request_id: requestIdSchema,
});

export const errorBodySchema = z.strictObject({
  error_code: z.string(),
  error_msg: z.string(),
  request_id: requestIdSchema,
});

// ---------------------------------------------------------------------------------------------
// Errors (CONTRACT.md section 6)

interface ErrorResponse {
  status: number;
  codes: string[];
  description: string;
}

export const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    codes: ['VPN.0001', 'VPN.0070', 'VPN.0071', 'VPN.0072', 'VPN.0073', 'VPN.0074', 'VPN.0075', 'VPN.0076'],
    description:
      'VPN.0001: invalid request (`invalid request: ...`, naming every offending field by its path). ' +
      'VPN.0070..VPN.0076: a client CA certificate (or the server certificate) failed a check: weak key (0070), ' +
      'MD5/SHA-1 signature (0071), expired (0072), not yet valid (0073), not one PEM CERTIFICATE block (0074), ' +
      'not an X.509 certificate (0075), not a CA (0076).',
  },
  Unauthorized: {
    status: 401,
    codes: ['APIGW.0301'],
    description: 'Authentication failed: missing or malformed Authorization, unknown access key, wrong signature or stale X-Sdk-Date.',
  },
  Forbidden: {
    status: 403,
    codes: ['VPN.0007'],
    description: 'The access key may not act in this project, or X-Project-Id differs from the path project_id.',
  },
  NotFound: {
    status: 404,
    codes: ['VPN.0004'],
    description: 'The gateway (or, for a create, the server certificate) does not exist in this project.',
  },
  Conflict: {
    status: 409,
    codes: ['VPN.0016', 'VPN.0031'],
    description:
      'VPN.0016: the gateway is not ACTIVE. VPN.0031: the gateway already has a VPN server, or the X-Client-Token ' +
      'was already used for a different request.',
  },
  PayloadTooLarge: {
    status: 413,
    codes: ['VPN.0001'],
    description: `The body is larger than ${MAX_BODY_BYTES} bytes (after any base64 decoding).`,
  },
  UnsupportedMediaType: {
    status: 415,
    codes: ['VPN.0001'],
    description: 'The body is not JSON (Content-Type must be application/json).',
  },
  TooManyRequests: {
    status: 429,
    codes: ['VPN.0429'],
    description: 'The database stays throttled or unreachable after bounded retries, or the function ran out of time before it could answer; retry after the Retry-After header (with the same X-Client-Token, a retry completes the create).',
  },
  InternalError: {
    status: 500,
    codes: ['VPN.0002'],
    description: 'Unexpected error (`server error`, no internals in the message).',
  },
} satisfies Record<string, ErrorResponse>;

type ErrorResponseName = keyof typeof ERROR_RESPONSES;

// ---------------------------------------------------------------------------------------------
// Schema generation

/** JSON Schemas of the registered zod schemas, as components (no $schema/$id: the document is the context). */
function componentSchemas(schemas: Record<string, z.ZodMiniType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(generated).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]),
  );
}

function inlineSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return json;
}

/** Sets `description` (and `default`) on the property at `path`; throws when the path does not exist, so renames surface. */
function annotate(schema: JsonSchema, path: string, description: string, defaultValue?: unknown): void {
  let node: JsonSchema | undefined = schema;
  for (const name of path.split('.')) node = node?.properties?.[name] as JsonSchema | undefined;
  if (!node) throw new Error(`lib/http/openapi.ts: no property ${path} in the schema`);
  node.description = node.description ? `${description} ${node.description}` : description;
  if (defaultValue !== undefined) node.default = defaultValue;
}

function describeCidr(json: JsonSchema): void {
  json.description = `IPv4 CIDR: ${CIDR_FORMAT_RULE}. Host bits may be set; the stored value is the network.`;
}

function requestSchemas(): Record<string, JsonSchema> {
  const schemas = componentSchemas(
    { CreateVpnServerRequestBody: createVpnServerBodySchema, CreateVpnServerRequest: createVpnServerRequestSchema },
    'input',
  );
  const server = schemas.CreateVpnServerRequest!;
  describeCidr(server.properties!.client_cidr as JsonSchema);
  describeCidr((server.properties!.local_subnets as JsonSchema).items as JsonSchema);
  server.description =
    'A P2C VPN server to create. Types are strict and enum values case-sensitive; an optional field sent as null ' +
    'counts as absent; unknown fields anywhere are rejected.';
  // client_auth_type CERT needs 1..10 client CAs; LOCAL_PASSWORD (the default) takes none
  server.if = { properties: { client_auth_type: { const: 'CERT' } }, required: ['client_auth_type'] };
  server.then = {
    required: ['client_ca_certificates'],
    properties: { client_ca_certificates: { type: 'array', minItems: 1, maxItems: MAX_CLIENT_CAS } },
  };
  server.else = { properties: { client_ca_certificates: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } } };
  annotate(server, 'tunnel_protocol', 'Tunnel protocol.', 'SSL');
  annotate(
    server,
    'client_cidr',
    'Client address block. Must not overlap 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 240.0.0.0/4, 169.254.0.0/16, a ' +
      "local subnet or a route of the gateway VPC's default route table (0.0.0.0/0 excepted), and must hold more than " +
      '4 x the gateway max_connection_number addresses.',
  );
  annotate(
    server,
    'local_subnets',
    'Destination subnets reachable through the VPN: 1..20 IPv4 CIDRs, not overlapping 0.0.0.0/8, 127.0.0.0/8, ' +
      '224.0.0.0/4 or 240.0.0.0/4, no duplicates after normalisation.',
  );
  annotate(server, 'client_auth_type', 'Client authentication.', 'LOCAL_PASSWORD');
  annotate(server, 'server_certificate', 'A certificate of this project in the certificate store (unknown id: 404 VPN.0004).');
  annotate(
    server,
    'client_ca_certificates',
    `With client_auth_type CERT: 1..${MAX_CLIENT_CAS} CA certificates; with LOCAL_PASSWORD: absent, null or empty. ` +
      'No duplicate names or certificates.',
  );
  annotate(
    server,
    'ssl_options',
    'SSL settings; may be {} (every field has a default).',
  );
  annotate(server, 'ssl_options.protocol', 'Transport protocol.', 'TCP');
  annotate(server, 'ssl_options.port', 'Port.', 443);
  annotate(server, 'ssl_options.encryption_algorithm', 'Encryption algorithm.', 'AES-128-GCM');
  annotate(server, 'ssl_options.is_compressed', 'Compression.', false);
  const clientCa = (server.properties!.client_ca_certificates as JsonSchema).anyOf?.find((option) => option.type === 'array')
    ?.items as JsonSchema | undefined;
  if (!clientCa) throw new Error('lib/http/openapi.ts: client_ca_certificates is no longer an array');
  annotate(
    clientCa,
    'name',
    '1 to 64 letters, digits, underscores or hyphens, unique within the request. Absent, null or empty: ' +
      'generated (client_ca_ and 6 lowercase letters or digits).',
  );
  annotate(clientCa, 'content', 'Exactly one PEM CERTIFICATE block of at most 16 KiB: a CA certificate (basicConstraints CA:TRUE), RSA >= 2048 bits or EC P-256/P-384, not MD5/SHA-1 signed, valid now.');
  return schemas;
}

function responseSchemas(): Record<string, JsonSchema> {
  return componentSchemas(
    {
      VpnServer: apiServerSchema,
      CreateVpnServerResponse: createVpnServerResponseSchema,
      ListVpnServersResponse: listVpnServersResponseSchema,
      ErrorBody: errorBodySchema,
    },
    'output',
  );
}

// ---------------------------------------------------------------------------------------------
// The document

const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });

const REQUEST_ID_HEADER = { description: 'The request_id of the body.', schema: inlineSchema(requestIdSchema) };

function errorResponse({ status, codes, description }: ErrorResponse): object {
  const uniqueCodes = [...new Set(codes)];
  return {
    description: `${status}: ${description}`,
    headers: {
      'X-Request-Id': ref('headers', 'X-Request-Id'),
      ...(status === 429 ? { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } } : {}),
    },
    content: {
      'application/json': {
        schema: { allOf: [ref('schemas', 'ErrorBody'), { properties: { error_code: { enum: uniqueCodes } } }] },
      },
    },
  };
}

const errors = (...names: ErrorResponseName[]) =>
  Object.fromEntries(names.map((name) => [String(ERROR_RESPONSES[name].status), ref('responses', name)]));

function listQueryParameter(name: 'limit' | 'marker', description: string): object {
  const schema = inlineSchema(listQuerySchema).properties?.[name];
  if (!schema) throw new Error(`lib/http/openapi.ts: listQuerySchema has no ${name}`);
  return { name, in: 'query', required: false, description, schema };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const okHeaders = { 'X-Request-Id': ref('headers', 'X-Request-Id') };
  return {
    openapi: '3.1.0',
    info: {
      title: 'P2C VPN server API (Huawei Cloud VPN v5)',
      version: packageJson.version,
      description:
        'Create and list the VPN servers of P2C VPN gateways, with the paths, fields and error codes of Huawei Cloud ' +
        'VPN v5, so the Huawei SDKs and Terraform provider work with an endpoint override. Every response carries ' +
        'request_id (32 lowercase hex characters) and the same value in X-Request-Id. Any other path or method ' +
        'answers 404 APIGW.0101 in the error body. Checks run in this order: authentication (401), the path format ' +
        "(400), the key's project binding (403), then the body and the rules. Generated by lib/http/openapi.ts " +
        '(npm run openapi) from the zod schemas.',
    },
    servers: [
      { url: 'http://localhost:3000', description: 'npm start (serverless-offline; no stage prefix)' },
      {
        url: 'https://{api_id}.execute-api.{region}.amazonaws.com',
        description: 'AWS API Gateway (HTTP API, $default stage)',
        variables: { api_id: { default: 'api_id' }, region: { default: 'eu-west-1' } },
      },
    ],
    security: [{ [ALGORITHM]: [] }],
    tags: [{ name: 'VpnServer', description: 'P2C VPN servers' }],
    paths: {
      '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers': {
        parameters: [ref('parameters', 'project_id'), ref('parameters', 'p2c_vgw_id')],
        post: {
          operationId: 'CreateVpnServer',
          tags: ['VpnServer'],
          summary: 'Create the VPN server of a P2C VPN gateway',
          description:
            'A gateway has at most one VPN server. With X-Client-Token the call is idempotent: the same token with the ' +
            'same request answers 201 with the first call\'s id and writes nothing; with a different request, 409 VPN.0031.',
          parameters: [ref('parameters', 'X-Sdk-Date'), ref('parameters', 'X-Project-Id'), ref('parameters', 'X-Client-Token')],
          requestBody: {
            required: true,
            description: `JSON (application/json, any charset), at most ${MAX_BODY_BYTES} bytes.`,
            content: { 'application/json': { schema: ref('schemas', 'CreateVpnServerRequestBody') } },
          },
          responses: {
            '201': {
              description: 'Created (or the same request replayed with its X-Client-Token).',
              headers: okHeaders,
              content: { 'application/json': { schema: ref('schemas', 'CreateVpnServerResponse') } },
            },
            ...errors(
              'BadRequest',
              'Unauthorized',
              'Forbidden',
              'NotFound',
              'Conflict',
              'PayloadTooLarge',
              'UnsupportedMediaType',
              'TooManyRequests',
              'InternalError',
            ),
          },
        },
        get: {
          operationId: 'ListVpnServersByVgwId',
          tags: ['VpnServer'],
          summary: 'List the VPN servers of a P2C VPN gateway (zero or one)',
          parameters: [ref('parameters', 'X-Sdk-Date'), ref('parameters', 'X-Project-Id')],
          responses: {
            '200': {
              description: 'The gateway\'s VPN servers.',
              headers: okHeaders,
              content: { 'application/json': { schema: ref('schemas', 'ListVpnServersResponse') } },
            },
            ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests', 'InternalError'),
          },
        },
      },
      '/v5/{project_id}/vpn-servers': {
        parameters: [ref('parameters', 'project_id')],
        get: {
          operationId: 'ListVpnServersByProject',
          tags: ['VpnServer'],
          summary: 'List the VPN servers of a project, a page at a time',
          parameters: [ref('parameters', 'X-Sdk-Date'), ref('parameters', 'X-Project-Id'), ref('parameters', 'limit'), ref('parameters', 'marker')],
          responses: {
            '200': {
              description: 'A page of the project\'s VPN servers; page_info.next_marker is present when more follow.',
              headers: okHeaders,
              content: { 'application/json': { schema: ref('schemas', 'ListVpnServersResponse') } },
            },
            ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'TooManyRequests', 'InternalError'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        [ALGORITHM]: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            `Huawei Cloud AK/SK signing, as the Huawei SDKs sign: \`Authorization: ${ALGORITHM} Access={AK}, ` +
            'SignedHeaders={h1;h2;...}, Signature={hex}`, where Signature = hex(HMAC-SHA256(SK, StringToSign)), ' +
            `StringToSign = "${ALGORITHM}\\n" + X-Sdk-Date + "\\n" + hex(SHA-256(CanonicalRequest)) and ` +
            'CanonicalRequest = method, canonical URI (each segment percent-encoded, ending in /), sorted query, ' +
            'the signed headers (lowercase name:trimmed value), the signed header names and hex(SHA-256(body)), ' +
            'joined by newlines. x-sdk-date must be among the signed headers.',
        },
      },
      parameters: {
        project_id: {
          name: 'project_id',
          in: 'path',
          required: true,
          description: 'Project ID: 32 lowercase hexadecimal characters (else 400 VPN.0001).',
          schema: inlineSchema(projectIdSchema),
        },
        p2c_vgw_id: {
          name: 'p2c_vgw_id',
          in: 'path',
          required: true,
          description: 'P2C VPN gateway ID: a UUID (else 400 VPN.0001). A gateway of another project is not found (404).',
          schema: inlineSchema(uuidSchema),
        },
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
        'X-Client-Token': {
          name: 'X-Client-Token',
          in: 'header',
          required: false,
          description:
            'Idempotency token (a 36-character UUID; else 400 VPN.0001), scoped to the project and kept at least 24 hours.',
          schema: inlineSchema(uuidSchema),
        },
        limit: listQueryParameter('limit', `Page size: an integer from 1 to 200; default ${DEFAULT_PAGE_LIMIT}.`),
        marker: listQueryParameter('marker', 'Opaque: page_info.next_marker of the previous page.'),
      },
      headers: { 'X-Request-Id': REQUEST_ID_HEADER },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([name, response]) => [name, errorResponse(response)]),
      ),
      schemas: { ...requestSchemas(), ...responseSchemas() },
    },
  };
}

/** The file's text: 2-space JSON and a final newline. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApiDocument());
  console.log(`wrote ${OPENAPI_FILE}`);
}
