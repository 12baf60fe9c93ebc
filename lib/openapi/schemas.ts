/** The document's schema components: the request bodies and answers the catalogue names, the parts
 * they share, and their descriptions. zod's JSON Schema output states every syntax rule (each is a
 * regex, a pattern in JSON Schema); request-schemas.ts adds what the refinements check. */
import * as z from 'zod/mini';
import { requestIdSchema } from '../core/ids';
import type { AnyOperation } from '../operations/operation';
import { apiGatewaySchema } from '../p2c-gateways/schemas';
import { DEFAULT_ENTERPRISE_PROJECT_ID, DEFAULT_FLAVOR } from '../p2c-gateways/view';
import { createVpnServerRequestSchema } from '../vpn-servers/schemas/create-vpn-server';
import { AUTHENTICATION_ALGORITHM, clientCaCertificateSchema } from '../vpn-servers/schemas/fields';
import { apiClientCaSchema, apiServerSchema } from '../vpn-servers/schemas/server';
import { updateVpnServerRequestSchema } from '../vpn-servers/schemas/update-vpn-server';
import { COMPRESSION_DIRECTIVE } from '../vpn-servers/profile';
import { annotate, componentSchemas, property, type JsonSchema } from './json-schema';
import { REQUEST_DESCRIPTIONS } from './request-schemas';

export const errorBodySchema = z.strictObject({
  error_code: z.string(),
  error_msg: z.string(),
  request_id: requestIdSchema,
});

/** The request body's component name (what a request body's $ref names). */
export const requestBodyName = (operation: AnyOperation): string => operation.docs.requestBody ?? `${operation.name}RequestBody`;

/** The success body's component name. */
export const responseName = (operation: AnyOperation): string => operation.docs.success.component ?? `${operation.name}Response`;

/** Each name once: two operations may share a component only by sharing its schema. */
function named(entries: Iterable<[string, z.ZodMiniType]>): Map<string, z.ZodMiniType> {
  const schemas = new Map<string, z.ZodMiniType>();
  for (const [name, schema] of entries) {
    if (schemas.has(name) && schemas.get(name) !== schema) throw new Error(`lib/openapi: two different schemas are named ${name}`);
    schemas.set(name, schema);
  }
  return schemas;
}

function requestSchemas(operations: readonly AnyOperation[]): Record<string, JsonSchema> {
  const schemas = componentSchemas(
    named([
      ...operations.flatMap((operation): [string, z.ZodMiniType][] => (operation.bodySchema ? [[requestBodyName(operation), operation.bodySchema]] : [])),
      // the parts a body holds
      ['CreateVpnServerRequest', createVpnServerRequestSchema],
      ['UpdateVpnServerRequest', updateVpnServerRequestSchema],
      ['ClientCaCertificateRequest', clientCaCertificateSchema],
    ]),
    'input',
  );
  for (const [name, describe] of Object.entries(REQUEST_DESCRIPTIONS)) {
    if (schemas[name]) describe(schemas[name]);
  }
  return schemas;
}

function describeServer(server: JsonSchema): void {
  server.description = 'A P2C VPN server as stored, every default applied and every CIDR normalised. Certificate content is never returned.';
  annotate(server, 'client_ca_certificates', 'The client CA certificates; [] when there are none.');
  annotate(server, 'dns_servers', 'The DNS servers pushed to the clients; [] when none were set.');
  annotate(
    server,
    'ssl_options.authentication_algorithm',
    `Read-only, always ${AUTHENTICATION_ALGORITHM}: the HMAC digest of the data plane (the client profile's auth line).`,
  );
  property(property(server, 'ssl_options'), 'authentication_algorithm').readOnly = true;
}

function describeGateway(gateway: JsonSchema): void {
  gateway.description =
    'A P2C VPN gateway as its service gives it; each field it leaves out has its default. eip is absent when the ' +
    'gateway has none.';
  annotate(gateway, 'connect_subnet', 'The id of the VPC subnet the gateway uses; "" when unknown.');
  annotate(gateway, 'flavor', `Default ${DEFAULT_FLAVOR}.`);
  annotate(gateway, 'availability_zone_ids', '[] when unknown.');
  annotate(gateway, 'current_connection_number', 'The connections now: 0 until a data plane reports them.');
  annotate(gateway, 'enterprise_project_id', `Default "${DEFAULT_ENTERPRISE_PROJECT_ID}".`);
  annotate(gateway, 'tags', '[] when none.');
  annotate(gateway, 'created_at', 'UTC; when its service gave none, the time this service first loaded the gateway.');
  annotate(gateway, 'updated_at', 'UTC; when its service gave none, the time this service first loaded the gateway.');
}

const RESPONSE_DESCRIPTIONS: Readonly<Record<string, (schema: JsonSchema) => void>> = {
  VpnServer: describeServer,
  ClientCa: (clientCa) => {
    clientCa.description = 'A client CA certificate of a VPN server (its content is never returned).';
  },
  P2cVpnGateway: describeGateway,
  ExportClientConfigResponse: (response) =>
    annotate(
      response,
      'client_config',
      "An OpenVPN profile of the server's current settings: the gateway EIP and port as remote, the cipher, auth " +
        `${AUTHENTICATION_ALGORITHM}, the server certificate's chain as <ca>; auth-user-pass with LOCAL_PASSWORD, comments ` +
        `saying where the user's <cert> and <key> go with CERT; \`${COMPRESSION_DIRECTIVE}\` with ssl_options.is_compressed.`,
    ),
};

function responseSchemas(operations: readonly AnyOperation[]): Record<string, JsonSchema> {
  const schemas = componentSchemas(
    named([
      // the parts the answers hold
      ['VpnServer', apiServerSchema()],
      ['ClientCa', apiClientCaSchema()],
      ['P2cVpnGateway', apiGatewaySchema()],
      ...operations.flatMap((operation): [string, z.ZodMiniType][] => {
        const body = operation.docs.success.body;
        return body ? [[responseName(operation), body()]] : [];
      }),
      ['ErrorBody', errorBodySchema],
    ]),
    'output',
  );
  for (const [name, describe] of Object.entries(RESPONSE_DESCRIPTIONS)) {
    if (schemas[name]) describe(schemas[name]);
  }
  return schemas;
}

export const schemaComponents = (operations: readonly AnyOperation[]): Record<string, JsonSchema> => ({
  ...requestSchemas(operations),
  ...responseSchemas(operations),
});
