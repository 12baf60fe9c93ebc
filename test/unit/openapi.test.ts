/** The committed OpenAPI document (lib/http/openapi.json) is what lib/http/openapi.ts generates from
 * the zod schemas now, and states what the code does. Fix a drift with `npm run openapi`. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import * as z from 'zod/mini';
import {
  ERROR_RESPONSES,
  OPENAPI_FILE,
  buildOpenApiDocument,
  createVpnServerResponseSchema,
  errorBodySchema,
  listVpnServersResponseSchema,
  renderOpenApiDocument,
} from '../../lib/http/openapi';
import { errorResponse, jsonResponse } from '../../lib/http/responses';
import { payloadTooLarge, unsupportedMediaType } from '../../lib/http/errors';
import { authenticationFailed, projectForbidden } from '../../lib/auth/errors';
import { STATUS_BY_CODE, notFound } from '../../lib/vpn-servers/errors';
import type { VpnServerRecord } from '../../lib/vpn-servers/records';
import { MAX_CLIENT_CAS } from '../../lib/vpn-servers/limits';
import {
  createVpnServerBodySchema,
  createVpnServerRequestSchema as vpnServerRequestSchema,
} from '../../lib/vpn-servers/schemas/create-vpn-server';
import { certAuthExample, passwordAuthExample, passwordBody } from '../support/requests';
import { apiServerSchema } from '../../lib/vpn-servers/schemas/server';
import { toApiServer } from '../../lib/vpn-servers/view';

type Json = Record<string, any>;

const committed = (): string => readFileSync(OPENAPI_FILE, 'utf8');
const document = buildOpenApiDocument() as Json;
const schemas = document.components.schemas as Record<string, Json>;

describe('lib/http/openapi.json', () => {
  it('is what lib/http/openapi.ts generates from the schemas now (else run npm run openapi)', () => {
    expect(JSON.parse(committed())).toEqual(JSON.parse(renderOpenApiDocument()));
    expect(committed()).toBe(renderOpenApiDocument());
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the three endpoints and their success codes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
      '/v5/{project_id}/vpn-servers',
    ]);
    const operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      ['get', 'post', 'put', 'patch', 'delete'].filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual([
      'GET /v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
      'GET /v5/{project_id}/vpn-servers',
      'POST /v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
    ]);
    const gatewayPath = document.paths['/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers'];
    expect(Object.keys(gatewayPath.post.responses)).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '429', '500']);
    expect(Object.keys(gatewayPath.get.responses)).toEqual(['200', '400', '401', '403', '404', '429', '500']);
    expect(Object.keys(document.paths['/v5/{project_id}/vpn-servers'].get.responses)).toEqual(['200', '400', '401', '403', '429', '500']);
  });

  it('declares the headers and the SDK-HMAC-SHA256 Authorization scheme', () => {
    const parameters = document.components.parameters as Json;
    expect(parameters['X-Sdk-Date']).toMatchObject({ in: 'header', required: true });
    expect(parameters['X-Project-Id']).toMatchObject({ in: 'header', required: false });
    expect(parameters['X-Client-Token']).toMatchObject({ in: 'header', required: false });
    const post = document.paths['/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers'].post;
    expect(post.parameters).toContainEqual({ $ref: '#/components/parameters/X-Client-Token' });
    expect(document.components.securitySchemes['SDK-HMAC-SHA256']).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(document.security).toEqual([{ 'SDK-HMAC-SHA256': [] }]);
  });

  it('refuses unknown fields in the request body at every level', () => {
    const server = schemas.CreateVpnServerRequest!;
    expect(schemas.CreateVpnServerRequestBody!.additionalProperties).toBe(false);
    expect(schemas.CreateVpnServerRequestBody!.properties.vpn_server).toEqual({ $ref: '#/components/schemas/CreateVpnServerRequest' });
    expect(server.additionalProperties).toBe(false);
    expect(server.properties.ssl_options.additionalProperties).toBe(false);
    expect(server.properties.server_certificate.additionalProperties).toBe(false);
    const clientCa = server.properties.client_ca_certificates.anyOf.find((option: Json) => option.type === 'array');
    expect(clientCa.items.additionalProperties).toBe(false);
    expect(server.required.sort()).toEqual(['client_cidr', 'local_subnets', 'server_certificate', 'ssl_options']);
  });

  it('states the enums and defaults of the request', () => {
    const ssl = schemas.CreateVpnServerRequest!.properties.ssl_options.properties;
    const nonNull = (property: Json) => property.anyOf.find((option: Json) => option.type !== 'null');
    expect(nonNull(ssl.port).enum).toEqual([443, 1194]);
    expect(ssl.port.default).toBe(443);
    expect(nonNull(ssl.encryption_algorithm).enum).toEqual(['AES-128-GCM', 'AES-256-GCM']);
    expect(schemas.VpnServer!.properties.ssl_options.properties.port.enum).toEqual([443, 1194]);
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(document);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, segment) => (node as Json | undefined)?.[segment], document);
      expect([ref, target !== undefined]).toEqual([ref, true]);
    }
  });
});

describe('what the document states by hand agrees with the code', () => {
  it(`CERT takes 1..${MAX_CLIENT_CAS} client CAs, LOCAL_PASSWORD none, as the schema's refinement`, () => {
    const server = (auth: string, count: number) => ({
      client_cidr: '172.16.0.0/24',
      local_subnets: ['10.0.0.0/24'],
      client_auth_type: auth,
      server_certificate: { id: 'cert1' },
      client_ca_certificates: Array.from({ length: count }, (_, i) => ({ content: `pem ${i}` })),
      ssl_options: {},
    });
    const accepts = (auth: string, count: number) => z.safeParse(vpnServerRequestSchema, server(auth, count)).success;
    expect(accepts('CERT', MAX_CLIENT_CAS)).toBe(true);
    expect(accepts('CERT', MAX_CLIENT_CAS + 1)).toBe(false);
    expect(accepts('CERT', 0)).toBe(false);
    expect(accepts('LOCAL_PASSWORD', 0)).toBe(true);
    expect(accepts('LOCAL_PASSWORD', 1)).toBe(false);
  });

  it('each documented error code answers with the status it is documented under', () => {
    for (const { status, codes } of Object.values(ERROR_RESPONSES)) {
      for (const code of codes) {
        const transport: Record<string, number> = { 'APIGW.0301': authenticationFailed().status, 'VPN.0007': projectForbidden().status };
        const actual = status === 413 ? payloadTooLarge(1).status : status === 415 ? unsupportedMediaType().status : (transport[code] ?? STATUS_BY_CODE[code as keyof typeof STATUS_BY_CODE]);
        expect([code, actual]).toEqual([code, status]);
      }
    }
  });

  it('the response schemas match what the API sends', () => {
    const requestId = '0123456789abcdef0123456789abcdef';
    const facts = {
      issuer: 'C=CN, O=P2C VPN Demo, CN=P2C VPN Demo Client CA',
      subject: 'C=CN, O=P2C VPN Demo, CN=P2C VPN Demo Client CA',
      serial_number: '99033131098113',
      expiration_time: '2125-01-01T00:00:00Z',
      signature_algorithm: 'sha256WithRSAEncryption',
    };
    const record: VpnServerRecord = {
      id: '6c5e2f54-6f0d-4b6f-9b1e-0c4a1c8e2d11',
      project_id: '0605767b1f00d5762f1fc00b6df30d4f',
      p2c_vgw_id: 'e01377f1-3925-47eb-a309-fcb5f91b88b2',
      tunnel_protocol: 'SSL',
      client_cidr: '172.16.0.0/24',
      local_subnets: ['10.16.0.0/24'],
      client_auth_type: 'CERT',
      server_certificate: { id: 'scs1716171403922', name: 'p2c-demo-server-cert', ...facts },
      client_ca_certificates: [
        {
          id: '0b8a3c5e-2d4f-4e6a-8c1b-3f5d7e9a1b2c',
          name: 'client_ca_8sux3d',
          content: '-----BEGIN CERTIFICATE-----...',
          fingerprint: 'AA:BB',
          ...facts,
          created_at: '2024-05-21T08:15:00Z',
          updated_at: '2024-05-21T08:15:00Z',
        },
      ],
      ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
      dns_servers: [],
      completed_imports: [],
      version: 1,
      status: 'ACTIVE',
      created_at: '2024-05-21T08:15:00Z',
      updated_at: '2024-05-21T08:15:00Z',
    };
    const server = toApiServer(record);
    expect(z.safeParse(apiServerSchema, server).error).toBeUndefined();
    // every field of the schema is sent: the schema has no field the API never fills
    expect(Object.keys(apiServerSchema.def.shape).sort()).toEqual(Object.keys(server).sort());

    const list = JSON.parse(
      jsonResponse(200, { vpn_servers: [server], total_count: 1, page_info: { current_count: 1 } }, requestId).body,
    );
    expect(z.safeParse(listVpnServersResponseSchema, list).error).toBeUndefined();
    const created = JSON.parse(jsonResponse(201, { vpn_server: { id: record.id } }, requestId).body);
    expect(z.safeParse(createVpnServerResponseSchema, created).error).toBeUndefined();
    const error = JSON.parse(errorResponse(notFound('thing'), requestId).body);
    expect(z.safeParse(errorBodySchema, error).error).toBeUndefined();
  });
});

describe('the document accepts exactly the request bodies the schemas accept', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addSchema(document, 'openapi');
  const documentAccepts = ajv.compile({ $ref: 'openapi#/components/schemas/CreateVpnServerRequestBody' });
  const schemaAccepts = (body: unknown) => z.safeParse(createVpnServerBodySchema, body).success;
  const verdicts = (body: unknown) => ({ body, document: documentAccepts(body), schema: schemaAccepts(body) });

  const cidr = fc.oneof(
    fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(40)).map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`),
    fc.constantFrom('010.0.0.0/8', '10.0.0.0/08', '10.0.0.0 /8', '10.0.0.0/255.0.0.0', '::1/128', '10.1/16', '', '172.16.0.1/24'),
  );
  const name = fc.oneof(fc.constantFrom('', 'ca-1', 'x'.repeat(64), 'x'.repeat(65), 'ca 1', 'ça'), fc.string({ maxLength: 70 }));
  const clientCa = fc.record(
    { name: fc.option(name, { nil: null }), content: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 8 })), extra: fc.constant(1) },
    { requiredKeys: ['content'] },
  );
  const field = fc.oneof(
    fc.tuple(fc.constant('tunnel_protocol'), fc.constantFrom('SSL', 'ssl', null, 1)),
    fc.tuple(fc.constant('client_cidr'), cidr),
    fc.tuple(fc.constant('local_subnets'), fc.array(cidr, { maxLength: 22 })),
    fc.tuple(fc.constant('client_auth_type'), fc.constantFrom('CERT', 'LOCAL_PASSWORD', 'cert', 'IAM', null, undefined)),
    fc.tuple(fc.constant('server_certificate'), fc.oneof(fc.record({ id: fc.oneof(name, fc.constant(7)) }), fc.constant(null))),
    fc.tuple(fc.constant('client_ca_certificates'), fc.oneof(fc.constant(null), fc.array(clientCa, { maxLength: MAX_CLIENT_CAS + 2 }))),
    fc.tuple(
      fc.constant('ssl_options'),
      fc.record(
        {
          protocol: fc.constantFrom('TCP', 'UDP', null),
          port: fc.constantFrom(443, 1194, 80, '443', null),
          encryption_algorithm: fc.constantFrom('AES-128-GCM', 'AES-256-GCM', 'AES-128-CBC', null),
          is_compressed: fc.constantFrom(true, false, 'false', null),
          unknown: fc.constant(true),
        },
        { requiredKeys: [] },
      ),
    ),
    fc.tuple(fc.constant('p2c_vgw_id'), fc.uuid()),
  );
  /** A reference example with up to three fields replaced (undefined: removed). */
  const server = fc
    .tuple(fc.boolean(), fc.array(field, { maxLength: 3 }))
    .map(([cert, changes]) => {
      const base: Record<string, unknown> = (cert ? certAuthExample() : passwordAuthExample()).vpn_server;
      for (const [key, value] of changes) {
        if (value === undefined) delete base[key];
        else base[key] = value;
      }
      return base;
    });

  it('agrees on the reference examples and their single-field changes', () => {
    const bodies = [passwordAuthExample(), certAuthExample(), passwordBody({ client_cidr: '10.0.0.0/08' }), passwordBody({ client_ca_certificates: [{ content: 'x' }] })];
    for (const body of bodies) {
      const { document: byDocument, schema } = verdicts(body);
      expect({ body, byDocument }).toEqual({ body, byDocument: schema });
    }
    expect(schemaAccepts(passwordAuthExample())).toBe(true);
  });

  it('agrees on generated bodies (fast-check)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(server, (vpnServer) => {
        const { document: byDocument, schema } = verdicts({ vpn_server: vpnServer });
        if (schema) accepted += 1;
        return byDocument === schema;
      }),
      { numRuns: 2_000 },
    );
    // the generator reaches accepted bodies too, so agreement is not only on rejections
    expect(accepted).toBeGreaterThan(0);
  });
});
