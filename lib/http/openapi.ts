/**
 * The OpenAPI 3.1 document of the endpoints (CONTRACT.md), generated from the operations' zod schemas
 * (lib/vpn-servers/schemas/) with zod's JSON Schema output, plus the response shapes below.
 * `npm run openapi` writes lib/http/openapi.json; test/unit/openapi.test.ts fails when that file
 * drifts from what this module generates, and checks that the document accepts exactly the bodies
 * the schemas accept. Not part of the function bundles.
 *
 * Every syntax rule of the schemas is a regex, which JSON Schema states as a pattern. What the schemas
 * check in refinements, which zod's JSON Schema output cannot carry, is stated here by post-processing
 * the generated JSON, and the conformance test guards each statement: on the create body, CERT needs
 * client CAs and LOCAL_PASSWORD takes none (if/then/else); on the update body, the fields that cannot be
 * updated accept only absent or null, and at least one updatable field is given (anyOf); on the client
 * CA rename body, content accepts only absent or null; dns_servers are distinct (uniqueItems). The one
 * rule stated in words only is that dns_servers lie outside the reserved blocks (see describeDnsServers).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import packageJson from '../../package.json';
import { ALGORITHM, MAX_CLOCK_SKEW_MS } from '../auth/signing';
import { CIDR_FORMAT_RULE } from '../core/patterns';
import { projectIdSchema, requestIdSchema, uuidSchema } from '../core/ids';
import { MAX_PAGE_LIMIT, MAX_CLIENT_CAS, MAX_DNS_SERVERS } from '../core/limits';
import { RESERVED_FOR_ALL, RESERVED_FOR_CLIENT } from '../vpn-servers/cidr';
import { COMPRESSION_DIRECTIVE } from '../vpn-servers/profile';
import { clientCaBodySchema, renameClientCaBodySchema } from '../vpn-servers/schemas/client-ca';
import { createVpnServerBodySchema, createVpnServerRequestSchema } from '../vpn-servers/schemas/create-vpn-server';
import { DEFAULT_OS_TYPE, exportClientConfigBodySchema } from '../vpn-servers/schemas/export-client-config';
import { AUTHENTICATION_ALGORITHM, clientCaCertificateSchema } from '../vpn-servers/schemas/fields';
import { pageQuerySchema as listQuerySchema } from '../core/paging';
import { apiClientCaSchema, apiServerSchema } from '../vpn-servers/schemas/server';
import {
  FIXED_FIELDS,
  UPDATABLE_FIELDS,
  updateVpnServerBodySchema,
  updateVpnServerRequestSchema,
} from '../vpn-servers/schemas/update-vpn-server';
import { MAX_BODY_BYTES } from '../core/limits';

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

/** UpdateVpnServer and UpdateClientCa answer only the request_id (handlers/api.ts sends `{}`). */
export const updateVpnServerResponseSchema = z.strictObject({ request_id: requestIdSchema });
export const updateClientCaResponseSchema = z.strictObject({ request_id: requestIdSchema });

export const exportClientConfigResponseSchema = z.strictObject({
  client_config: z.string(),
  request_id: requestIdSchema,
});

/** The certificate's facts at the top level, as Huawei's CheckClientCaCertificateResponse has them. */
export const checkClientCaCertificateResponseSchema = z.extend(
  z.pick(apiClientCaSchema, { name: true, issuer: true, subject: true, serial_number: true, expiration_time: true, signature_algorithm: true }),
  { request_id: requestIdSchema },
);

export const importClientCaResponseSchema = z.strictObject({
  client_ca_certificate: z.strictObject({ id: uuidSchema }),
  request_id: requestIdSchema,
});

export const showClientCaResponseSchema = z.strictObject({
  client_ca_certificate: apiClientCaSchema,
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

const BAD_REQUEST_CODES = ['VPN.0001', 'VPN.0070', 'VPN.0071', 'VPN.0072', 'VPN.0073', 'VPN.0074', 'VPN.0075', 'VPN.0076'];
const INVALID_REQUEST = 'VPN.0001: invalid request (`invalid request: ...`, naming every offending field by its path)';
const CERTIFICATE_CHECKS =
  'weak key (0070), MD5/SHA-1 signature (0071), expired (0072), not yet valid (0073), not one PEM CERTIFICATE ' +
  'block (0074), not an X.509 certificate (0075), not a CA (0076)';

export const ERROR_RESPONSES = {
  BadRequest: {
    status: 400,
    codes: BAD_REQUEST_CODES,
    description:
      `${INVALID_REQUEST}. VPN.0070..VPN.0076: a client CA certificate (or the server certificate) failed a check: ` +
      `${CERTIFICATE_CHECKS}.`,
  },
  ClientCaImportBadRequest: {
    status: 400,
    codes: [...BAD_REQUEST_CODES, 'VPN.0077'],
    description:
      `${INVALID_REQUEST}, or the server cannot take this client CA: its client_auth_type is not CERT, it already ` +
      `holds ${MAX_CLIENT_CAS}, or one of them has this name. VPN.0070..VPN.0076: the certificate failed a check: ` +
      `${CERTIFICATE_CHECKS}. VPN.0077: the server already holds this certificate (same SHA-256 fingerprint).`,
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
    description:
      'What the path or body names does not exist in this project (another project\'s is not found either): the ' +
      'gateway, the VPN server, the client CA certificate, or the server certificate of a create or update.',
  },
  Conflict: {
    status: 409,
    codes: ['VPN.0016', 'VPN.0031'],
    description:
      'VPN.0016: the gateway is not ACTIVE. VPN.0031: the gateway already has a VPN server, or the X-Client-Token ' +
      'was already used for a different request.',
  },
  ClientTokenConflict: {
    status: 409,
    codes: ['VPN.0031'],
    description: 'VPN.0031: the X-Client-Token was already used for a different request.',
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
    description: 'The database stays throttled or unreachable after bounded retries, or the function ran out of time before it could answer; retry after the Retry-After header (with the same X-Client-Token, a retry completes the create or the import).',
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

/** The non-null option of a nullable field (zod states `nullable(X)` as `anyOf: [X, {type: 'null'}]`). */
function nonNull(schema: JsonSchema | undefined, what: string): JsonSchema {
  const option = schema?.anyOf?.find((candidate) => candidate.type !== 'null');
  if (!option) throw new Error(`lib/http/openapi.ts: ${what} is no longer a nullable field`);
  return option;
}

function property(schema: JsonSchema, name: string): JsonSchema {
  const node = schema.properties?.[name];
  if (node === undefined || typeof node === 'boolean') throw new Error(`lib/http/openapi.ts: no property ${name} in the schema`);
  return node;
}

/** A field the schema takes only to name it in the 400 (z.unknown plus a refinement): absent or null only. */
function onlyAbsentOrNull(schema: JsonSchema, name: string, description: string): void {
  property(schema, name);
  schema.properties![name] = { type: 'null', description };
}

function describeCidr(json: JsonSchema): void {
  json.description = `IPv4 CIDR: ${CIDR_FORMAT_RULE}. Host bits may be set; the stored value is the network.`;
}

/** The blocks client_cidr and dns_servers must stay out of (CONTRACT.md sections 3 and 10.1; the test checks them against the schemas). */
export const CLIENT_RESERVED_BLOCKS = RESERVED_FOR_CLIENT;

const CLIENT_CIDR_RULES =
  `Client address block. Must not overlap ${CLIENT_RESERVED_BLOCKS.join(', ')}, a ` +
  "local subnet or a route of the gateway VPC's default route table (0.0.0.0/0 excepted), and must hold more than " +
  '4 x the gateway max_connection_number addresses.';
const LOCAL_SUBNETS_RULES =
  `Destination subnets reachable through the VPN: 1..20 IPv4 CIDRs, not overlapping ${RESERVED_FOR_ALL.slice(0, -1).join(', ')} ` +
  `or ${RESERVED_FOR_ALL.at(-1)}, no duplicates after normalisation.`;

/**
 * dns_servers, on create and update. "Distinct" is uniqueItems. "Not in a reserved block" is stated in
 * words only: as a pattern it would be a negative lookahead over octet ranges (or a `not` of a second
 * pattern) that readers and SDK generators would have to decode, for a rule the server states in its
 * 400 anyway. The conformance test's generators therefore draw no reserved address (see there).
 */
function describeDnsServers(field: JsonSchema): void {
  nonNull(field, 'dns_servers').uniqueItems = true;
  field.description =
    `DNS servers pushed to the clients: 0..${MAX_DNS_SERVERS} distinct IPv4 addresses in strict dotted decimal ` +
    `(no leading zeros), none in ${CLIENT_RESERVED_BLOCKS.join(', ')} (400 VPN.0001 naming the entry). Absent or null: ` +
    'none on a create, unchanged on an update.';
}

function createRequestSchema(server: JsonSchema): void {
  describeCidr(property(server, 'client_cidr'));
  describeCidr(property(server, 'local_subnets').items as JsonSchema);
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
  annotate(server, 'client_cidr', CLIENT_CIDR_RULES);
  annotate(server, 'local_subnets', LOCAL_SUBNETS_RULES);
  annotate(server, 'client_auth_type', 'Client authentication.', 'LOCAL_PASSWORD');
  annotate(server, 'server_certificate', 'A certificate of this project in the certificate store (unknown id: 404 VPN.0004), not expired (400 VPN.0072).');
  annotate(
    server,
    'client_ca_certificates',
    `With client_auth_type CERT: 1..${MAX_CLIENT_CAS} CA certificates; with LOCAL_PASSWORD: absent, null or empty. ` +
      'No duplicate names or certificates.',
  );
  annotate(server, 'ssl_options', 'SSL settings; may be {} (every field has a default).');
  annotate(server, 'ssl_options.protocol', 'Transport protocol.', 'TCP');
  annotate(server, 'ssl_options.port', 'Port.', 443);
  annotate(server, 'ssl_options.encryption_algorithm', 'Encryption algorithm.', 'AES-128-GCM');
  annotate(server, 'ssl_options.is_compressed', 'Compression.', false);
  describeDnsServers(property(server, 'dns_servers'));
}

const CANNOT_BE_UPDATED = 'Cannot be updated: only absent or null is accepted (else 400 VPN.0001 naming the field).';

function updateRequestSchema(server: JsonSchema): void {
  describeCidr(nonNull(property(server, 'client_cidr'), 'client_cidr'));
  describeCidr(nonNull(property(server, 'local_subnets'), 'local_subnets').items as JsonSchema);
  server.description =
    `The fields to change: at least one of ${UPDATABLE_FIELDS.join(', ')} given and not null. An absent or null ` +
    'field keeps its stored value, inside ssl_options too. Types, enums and unknown fields as on a create. ' +
    `${[...FIXED_FIELDS, 'ssl_options.is_compressed'].join(', ')} cannot be updated. The merged server must satisfy ` +
    'the rules of a create: a changed client_cidr or local_subnets re-checks every CIDR rule (the route table as it ' +
    'reads now); rules on fields the update does not touch are not re-checked. An update that changes nothing ' +
    'answers 200 and writes nothing.';
  for (const field of FIXED_FIELDS) {
    const hint = field === 'client_ca_certificates' ? ' Use the client CA certificate operations.' : '';
    onlyAbsentOrNull(server, field, `${CANNOT_BE_UPDATED}${hint}`);
  }
  onlyAbsentOrNull(nonNull(property(server, 'ssl_options'), 'ssl_options'), 'is_compressed', CANNOT_BE_UPDATED);
  // at least one updatable field, given and not null (the schema's refinement)
  server.anyOf = UPDATABLE_FIELDS.map((field) => {
    property(server, field);
    return { required: [field], properties: { [field]: { not: { type: 'null' } } } };
  });
  annotate(server, 'client_cidr', CLIENT_CIDR_RULES);
  annotate(server, 'local_subnets', LOCAL_SUBNETS_RULES);
  annotate(server, 'server_certificate', 'A certificate of this project in the certificate store (unknown id: 404 VPN.0004), not expired (400 VPN.0072).');
  annotate(server, 'ssl_options', 'SSL settings to change; each absent or null member keeps its stored value.');
  annotate(
    server,
    'client_auth_type',
    'Client authentication. CERT to LOCAL_PASSWORD while the server holds client CAs is 400 VPN.0001 (delete them ' +
      'first); LOCAL_PASSWORD to CERT without client CAs is allowed (import them next).',
  );
  describeDnsServers(property(server, 'dns_servers'));
}

function requestSchemas(): Record<string, JsonSchema> {
  const schemas = componentSchemas(
    {
      CreateVpnServerRequestBody: createVpnServerBodySchema,
      CreateVpnServerRequest: createVpnServerRequestSchema,
      UpdateVpnServerRequestBody: updateVpnServerBodySchema,
      UpdateVpnServerRequest: updateVpnServerRequestSchema,
      ClientCaCertificateRequestBody: clientCaBodySchema,
      ClientCaCertificateRequest: clientCaCertificateSchema,
      UpdateClientCaRequestBody: renameClientCaBodySchema,
      ExportClientConfigRequestBody: exportClientConfigBodySchema,
    },
    'input',
  );
  createRequestSchema(schemas.CreateVpnServerRequest!);
  updateRequestSchema(schemas.UpdateVpnServerRequest!);

  const clientCa = schemas.ClientCaCertificateRequest!;
  clientCa.description = 'A client CA certificate, as a create, an import or a check takes it.';
  annotate(
    clientCa,
    'name',
    '1 to 64 letters, digits, underscores or hyphens; unique within a create, and among the server\'s client CAs on an ' +
      'import. Absent, null or empty: generated (client_ca_ and 6 lowercase letters or digits).',
  );
  annotate(clientCa, 'content', 'Exactly one PEM CERTIFICATE block of at most 16 KiB: a CA certificate (basicConstraints CA:TRUE), RSA >= 2048 bits or EC P-256/P-384, not MD5/SHA-1 signed, valid now.');

  const rename = property(schemas.UpdateClientCaRequestBody!, 'client_ca_certificate');
  rename.description = 'The new name; the certificate itself never changes.';
  annotate(rename, 'name', '1 to 64 letters, digits, underscores or hyphens, not the name of another client CA of the server.');
  onlyAbsentOrNull(rename, 'content', 'Cannot be changed: only absent or null is accepted (else 400 VPN.0001); delete the client CA and import the new one.');

  const exportBody = schemas.ExportClientConfigRequestBody!;
  exportBody.description = 'Optional: no body, {} or {"os_type": ...}.';
  annotate(exportBody, 'os_type', 'The client platform (the profile is the same for all); absent or null: the default.', DEFAULT_OS_TYPE);
  return schemas;
}

function responseSchemas(): Record<string, JsonSchema> {
  const schemas = componentSchemas(
    {
      VpnServer: apiServerSchema,
      ClientCa: apiClientCaSchema,
      CreateVpnServerResponse: createVpnServerResponseSchema,
      ListVpnServersResponse: listVpnServersResponseSchema,
      UpdateVpnServerResponse: updateVpnServerResponseSchema,
      ExportClientConfigResponse: exportClientConfigResponseSchema,
      CheckClientCaCertificateResponse: checkClientCaCertificateResponseSchema,
      ImportClientCaResponse: importClientCaResponseSchema,
      ShowClientCaResponse: showClientCaResponseSchema,
      UpdateClientCaResponse: updateClientCaResponseSchema,
      ErrorBody: errorBodySchema,
    },
    'output',
  );
  const server = schemas.VpnServer!;
  server.description = 'A P2C VPN server as stored, every default applied and every CIDR normalised. Certificate content is never returned.';
  annotate(server, 'client_ca_certificates', 'The client CA certificates; [] when there are none.');
  annotate(server, 'dns_servers', 'The DNS servers pushed to the clients; [] when none were set.');
  annotate(
    server,
    'ssl_options.authentication_algorithm',
    `Read-only, always ${AUTHENTICATION_ALGORITHM}: the HMAC digest of the data plane (the client profile's auth line).`,
  );
  property(property(server, 'ssl_options'), 'authentication_algorithm').readOnly = true;
  schemas.ClientCa!.description = 'A client CA certificate of a VPN server (its content is never returned).';
  annotate(
    schemas.ExportClientConfigResponse!,
    'client_config',
    "An OpenVPN profile of the server's current settings: the gateway EIP and port as remote, the cipher, auth " +
      `${AUTHENTICATION_ALGORITHM}, the server certificate's chain as <ca>; auth-user-pass with LOCAL_PASSWORD, comments ` +
      `saying where the user's <cert> and <key> go with CERT; \`${COMPRESSION_DIRECTIVE}\` with ssl_options.is_compressed.`,
  );
  return schemas;
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

const SIGNING_HEADERS = ['X-Sdk-Date', 'X-Project-Id'].map((name) => ref('parameters', name));

const jsonRequestBody = (schema: string, required: boolean, description = '') => ({
  required,
  description: `${description}JSON (application/json, any charset), at most ${MAX_BODY_BYTES} bytes.`,
  content: { 'application/json': { schema: ref('schemas', schema) } },
});

function success(description: string, schema?: string): object {
  return {
    description,
    headers: { 'X-Request-Id': ref('headers', 'X-Request-Id') },
    ...(schema ? { content: { 'application/json': { schema: ref('schemas', schema) } } } : {}),
  };
}

/** The lifecycle calls of CONTRACT.md section 10, under one prefix. */
const SERVERS = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers';
const CLIENT_CA = `${SERVERS}/{vpn_server_id}/client-ca-certificates/{client_ca_certificate_id}`;

function lifecyclePaths(): Record<string, object> {
  const server = [ref('parameters', 'project_id'), ref('parameters', 'vpn_server_id')];
  return {
    [`${SERVERS}/{vpn_server_id}`]: {
      parameters: server,
      put: {
        operationId: 'UpdateVpnServer',
        tags: ['VpnServer'],
        summary: 'Update a VPN server',
        description:
          'A partial update: absent or null fields keep their stored value. Changes apply at once; updated_at moves ' +
          'and status stays ACTIVE. Concurrent changes of one server never lose one another.',
        parameters: SIGNING_HEADERS,
        requestBody: jsonRequestBody('UpdateVpnServerRequestBody', true),
        responses: {
          '200': success('Updated (or nothing to change).', 'UpdateVpnServerResponse'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'InternalError'),
        },
      },
    },
    [`${SERVERS}/{vpn_server_id}/client-config/export`]: {
      parameters: server,
      post: {
        operationId: 'ExportClientConfig',
        tags: ['VpnServer'],
        summary: 'Export the OpenVPN client profile of a VPN server',
        description:
          'The profile always reflects the server\'s current settings. A gateway without an EIP, or a server ' +
          'certificate that is neither self-signed nor stored with its chain, gives no profile that could connect: ' +
          '400 VPN.0001 saying what is missing.',
        parameters: SIGNING_HEADERS,
        requestBody: jsonRequestBody('ExportClientConfigRequestBody', false, 'Optional: no body, {} or {"os_type"}. When sent: '),
        responses: {
          '200': success('The client profile.', 'ExportClientConfigResponse'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'InternalError'),
        },
      },
    },
    [`${SERVERS}/client-ca-certificates/check`]: {
      parameters: [ref('parameters', 'project_id')],
      post: {
        operationId: 'CheckClientCaCertificate',
        tags: ['ClientCaCertificate'],
        summary: 'Check a client CA certificate without a server',
        description: 'Validates and describes the certificate with the checks of an import (VPN.0070..VPN.0076); writes nothing.',
        parameters: SIGNING_HEADERS,
        requestBody: jsonRequestBody('ClientCaCertificateRequestBody', true),
        responses: {
          '200': success('The certificate passes every check; its facts, and the name given or generated.', 'CheckClientCaCertificateResponse'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'InternalError'),
        },
      },
    },
    [`${SERVERS}/{vpn_server_id}/client-ca-certificates`]: {
      parameters: server,
      post: {
        operationId: 'ImportClientCa',
        tags: ['ClientCaCertificate'],
        summary: 'Import a client CA certificate into a VPN server',
        description:
          `The server's client_auth_type must be CERT; at most ${MAX_CLIENT_CAS} per server, also under concurrent ` +
          'imports. With X-Client-Token the call is idempotent: the same token with the same request answers 201 with ' +
          'the first call\'s id and imports nothing; with a different request, 409 VPN.0031.',
        parameters: [...SIGNING_HEADERS, ref('parameters', 'X-Client-Token')],
        requestBody: jsonRequestBody('ClientCaCertificateRequestBody', true),
        responses: {
          '201': success('Imported (or the same request replayed with its X-Client-Token).', 'ImportClientCaResponse'),
          ...errors(
            'ClientCaImportBadRequest',
            'Unauthorized',
            'Forbidden',
            'NotFound',
            'ClientTokenConflict',
            'PayloadTooLarge',
            'UnsupportedMediaType',
            'TooManyRequests',
            'InternalError',
          ),
        },
      },
    },
    [CLIENT_CA]: {
      parameters: [...server, ref('parameters', 'client_ca_certificate_id')],
      get: {
        operationId: 'ShowClientCa',
        tags: ['ClientCaCertificate'],
        summary: 'Show a client CA certificate of a VPN server',
        parameters: SIGNING_HEADERS,
        responses: {
          '200': success('The client CA certificate.', 'ShowClientCaResponse'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests', 'InternalError'),
        },
      },
      put: {
        operationId: 'UpdateClientCa',
        tags: ['ClientCaCertificate'],
        summary: 'Rename a client CA certificate',
        parameters: SIGNING_HEADERS,
        requestBody: jsonRequestBody('UpdateClientCaRequestBody', true),
        responses: {
          '200': success('Renamed (or already so named).', 'UpdateClientCaResponse'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'PayloadTooLarge', 'UnsupportedMediaType', 'TooManyRequests', 'InternalError'),
        },
      },
      delete: {
        operationId: 'DeleteClientCa',
        tags: ['ClientCaCertificate'],
        summary: 'Delete a client CA certificate of a VPN server',
        description: 'Deleting the last client CA of a CERT server is allowed.',
        parameters: SIGNING_HEADERS,
        responses: {
          '204': success('Deleted: no body, only the X-Request-Id header.'),
          ...errors('BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'TooManyRequests', 'InternalError'),
        },
      },
    },
  };
}

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
        'Create, list and update the VPN servers of P2C VPN gateways, manage their client CA certificates and export ' +
        'their client profiles, with the paths, fields and error codes of Huawei Cloud VPN v5, so the Huawei SDKs and ' +
        'Terraform provider work with an endpoint override. There is no call to delete a VPN server (Huawei has none). ' +
        'Every response carries request_id (32 lowercase hex characters) and the same value in X-Request-Id (the one ' +
        '204, of DeleteClientCa, has the header and no body). Any other path or method ' +
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
    tags: [
      { name: 'VpnServer', description: 'P2C VPN servers' },
      { name: 'ClientCaCertificate', description: 'The client CA certificates of a VPN server' },
    ],
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
      ...lifecyclePaths(),
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
        vpn_server_id: {
          name: 'vpn_server_id',
          in: 'path',
          required: true,
          description: 'VPN server ID: a UUID in any case (else 400 VPN.0001). A server of another project is not found (404 VPN.0004).',
          schema: inlineSchema(uuidSchema),
        },
        client_ca_certificate_id: {
          name: 'client_ca_certificate_id',
          in: 'path',
          required: true,
          description: 'Client CA certificate ID: a UUID in any case (else 400 VPN.0001); one of another server is not found (404 VPN.0004).',
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
        limit: listQueryParameter('limit', `Page size: an integer from 1 to ${MAX_PAGE_LIMIT}; default ${MAX_PAGE_LIMIT}.`),
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
