/**
 * The Terraform provider's call sequences (huaweicloud_vpn_server, huaweicloud_vpn_client_ca_certificate;
 * reference/huawei-vpn-lifecycle.md section 3; the data source huaweicloud_vpn_p2c_gateways,
 * reference/huawei-vpn-users.md section 5.3) replayed through serverless-offline, each request signed
 * as the Huawei SDK signs (HcClient). Each status is checked against what Terraform's HTTP layer accepts
 * (GET 200; POST/PUT 200/201/202; DELETE 200/202/204), and each field it reads against what its
 * acceptance tests require.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoSeed } from '../support/local-table';
import { GATEWAY, OTHER_PROJECT_GATEWAY, PROJECT, SERVER_CERTIFICATE_ID, certificatePem } from '../support/requests';
import { sdkClient, type Sdk, type SdkResult } from './support/sdk-client';
import { startStack, writeSeedFile, type Stack } from './support/stack';

jest.setTimeout(120_000);

const pki = (name: string): string => readFileSync(path.join(__dirname, '../fixtures/pki', name), 'utf8');
const CA_CONTENT = pki('client-ca.pem');
const OTHER_CA_CONTENT = certificatePem('demo-ca');

/** Gateways of this test's own, each with an EIP and a VPC without routes, and the read-only fields of the
 * demo gateway (so whichever lists first, the gateways data source's acceptance checks apply to it). */
const GATEWAYS = {
  passwordEmptyOptions: randomUUID(),
  passwordUncompressed: randomUUID(),
  certLifecycle: randomUUID(),
  caResource: randomUUID(),
  export: randomUUID(),
};

let stack: Stack;
let sdk: Sdk;
const seed = demoSeed();
const template = seed.p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const extra = Object.values(GATEWAYS).map((id, index) => ({
  ...template,
  id,
  name: `tf-${index}`,
  vpc_id: randomUUID(),
  max_connection_number: 20,
  eip: { ...template.eip!, id: randomUUID(), ip_address: `198.51.100.${index + 1}` },
}));
beforeAll(async () => {
  stack = await startStack({ seedFile: writeSeedFile({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...extra] }) });
  sdk = sdkClient(stack.baseUrl);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

// the SDK's URL templates
const BY_GATEWAY = '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers';
const BY_PROJECT = '/v5/{project_id}/vpn-servers';
const SERVER = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}';
const EXPORT = `${SERVER}/client-config/export`;
const CAS = `${SERVER}/client-ca-certificates`;
const CA = `${CAS}/{client_ca_certificate_id}`;
const P2C_GATEWAYS = '/v5/{project_id}/p2c-vpn-gateways';
const P2C_GATEWAY = `${P2C_GATEWAYS}/{p2c_vgw_id}`;

/** golangsdk's defaultOkCodes */
const OK_CODES: Record<string, number[]> = { GET: [200], POST: [200, 201, 202], PUT: [200, 201, 202], DELETE: [200, 202, 204] };

/** A call Terraform makes, failing unless its status is one Terraform accepts for the method. */
async function tf(method: string, url: string, call: Parameters<Sdk>[2] = {}): Promise<SdkResult> {
  const result = await sdk(method, url, call);
  expect({ method, url, status: OK_CODES[method]!.includes(result.status) ? 'accepted' : result.status, body: result.json }).toEqual({
    method,
    url,
    status: 'accepted',
    body: expect.anything(),
  });
  return result;
}

/** `vpn_servers[?id == '<id>']|[0]` of a list body */
const pick = (list: SdkResult, id: string): Record<string, any> | undefined =>
  (list.json.vpn_servers as Record<string, any>[] | undefined)?.find((server) => server.id === id);

const MAX_POLLS = 30;

/** waitForVpnServerActive: GET the gateway's servers (no query) until the server's status is ACTIVE;
 * FAULT or FROZEN, or the server missing from the list, fails the wait. */
async function waitForVpnServerActive(gatewayId: string, serverId: string): Promise<void> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const list = await tf('GET', BY_GATEWAY, { pathParams: { p2c_vgw_id: gatewayId } });
    const server = pick(list, serverId);
    expect(server).toBeDefined();
    expect(['FAULT', 'FROZEN']).not.toContain(server!.status);
    if (server!.status === 'ACTIVE') return;
  }
  throw new Error(`server ${serverId} not ACTIVE after ${MAX_POLLS} polls`);
}

/** waitingForClientCACertificateStateCompleted: GET /v5/{p}/vpn-servers with no limit or marker; the
 * server must be on that first page with status ACTIVE, or PENDING_UPDATE (the only pending state). */
async function waitForClientCaCompleted(serverId: string): Promise<void> {
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    const list = await tf('GET', BY_PROJECT);
    const status = pick(list, serverId)?.status;
    expect(['ACTIVE', 'PENDING_UPDATE']).toContain(status);
    if (status === 'ACTIVE') return;
  }
  throw new Error(`server ${serverId} not ACTIVE after ${MAX_POLLS} polls`);
}

interface ServerState {
  server: Record<string, any>;
  client_config: string;
}

/** resourceVpnServerRead: the gateway list, then the export with `{}`. */
async function readServer(gatewayId: string, serverId: string): Promise<ServerState> {
  const list = await tf('GET', BY_GATEWAY, { pathParams: { p2c_vgw_id: gatewayId } });
  const server = pick(list, serverId);
  expect(server).toBeDefined();
  const exported = await tf('POST', EXPORT, { pathParams: { vpn_server_id: serverId }, data: {} });
  return { server: server!, client_config: exported.json.client_config };
}

const nonEmpty = expect.stringMatching(/\S/);
const CA_FIELDS = ['name', 'id', 'issuer', 'serial_number', 'subject', 'signature_algorithm', 'expiration_time', 'created_at', 'updated_at'];

/** What the acceptance test requires of every read: TestCheckResourceAttrSet and the fixed values. */
function expectAcceptanceFields(state: ServerState, port: 443 | 1194): void {
  const { server } = state;
  expect(server.server_certificate).toEqual(
    expect.objectContaining({
      id: SERVER_CERTIFICATE_ID,
      name: nonEmpty,
      serial_number: nonEmpty,
      expiration_time: nonEmpty,
      signature_algorithm: nonEmpty,
      issuer: nonEmpty,
      subject: nonEmpty,
    }),
  );
  expect(server.ssl_options).toEqual(expect.objectContaining({ authentication_algorithm: 'SHA256', is_compressed: false, port }));
  expect(server).toEqual(
    expect.objectContaining({ tunnel_protocol: nonEmpty, status: 'ACTIVE', created_at: nonEmpty, updated_at: nonEmpty }),
  );
  expect(state.client_config).toEqual(nonEmpty);
  for (const ca of (server.client_ca_certificates ?? []) as Record<string, unknown>[]) {
    expect(ca).toEqual(expect.objectContaining(Object.fromEntries(CA_FIELDS.map((field) => [field, nonEmpty]))));
  }
}

/** client_ca_certificates_uploaded.#: an absent or empty array is 0 */
const uploaded = (server: Record<string, any>): Record<string, any>[] => server.client_ca_certificates ?? [];

/** resourceVpnServerCreate: POST, the id from vpn_server.id, wait, Read. */
async function createServer(gatewayId: string, vpnServer: Record<string, unknown>): Promise<{ id: string; state: ServerState }> {
  const created = await tf('POST', BY_GATEWAY, { pathParams: { p2c_vgw_id: gatewayId }, data: { vpn_server: vpnServer } });
  const id = created.json.vpn_server?.id;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await waitForVpnServerActive(gatewayId, id);
  return { id, state: await readServer(gatewayId, id) };
}

describe('huaweicloud_vpn_server create and read', () => {
  test('without an ssl_options block Terraform sends "ssl_options": {}: the defaults TCP/443/AES-128-GCM/uncompressed', async () => {
    const { state } = await createServer(GATEWAYS.passwordEmptyOptions, {
      local_subnets: ['10.30.0.0/24'],
      client_cidr: '172.20.0.0/24',
      tunnel_protocol: 'SSL',
      server_certificate: { id: SERVER_CERTIFICATE_ID },
      ssl_options: {},
    });
    expectAcceptanceFields(state, 443);
    expect(state.server).toMatchObject({
      p2c_vgw_id: GATEWAYS.passwordEmptyOptions,
      local_subnets: ['10.30.0.0/24'],
      client_cidr: '172.20.0.0/24',
      tunnel_protocol: 'SSL',
      client_auth_type: 'LOCAL_PASSWORD',
      ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
    });
    expect(uploaded(state.server)).toHaveLength(0);
    expect(state.client_config).toContain('remote 198.51.100.1 443\n');
    expect(state.client_config).toContain('data-ciphers AES-128-GCM\n');
    expect(state.client_config).toContain('auth-user-pass\n');
  });

  test('with an ssl_options block Terraform always sends is_compressed: false', async () => {
    const { state } = await createServer(GATEWAYS.passwordUncompressed, {
      local_subnets: ['10.31.0.0/24', '10.32.0.0/24'],
      client_cidr: '172.21.0.0/24',
      client_auth_type: 'LOCAL_PASSWORD',
      server_certificate: { id: SERVER_CERTIFICATE_ID },
      ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: false },
    });
    expectAcceptanceFields(state, 1194);
    expect(state.server.ssl_options).toMatchObject({ protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: false });
    expect(state.client_config).not.toContain('compress');
  });
});

describe('huaweicloud_vpn_server updates, as the acceptance test steps them', () => {
  const gatewayId = GATEWAYS.certLifecycle;
  let serverId: string;
  let state: ServerState;

  /** resourceVpnServerUpdate: DELETE every uploaded CA (waiting after each), PUT (then wait), POST each
   * desired CA (waiting after each), then Read. */
  async function update(put: Record<string, unknown> | undefined, desiredCas: { name: string; content: string }[] | undefined) {
    if (desiredCas) {
      for (const ca of uploaded(state.server)) {
        await tf('DELETE', CA, { pathParams: { vpn_server_id: serverId, client_ca_certificate_id: ca.id } });
        await waitForVpnServerActive(gatewayId, serverId);
      }
    }
    if (put) {
      await tf('PUT', SERVER, { pathParams: { vpn_server_id: serverId }, data: { vpn_server: put } });
      await waitForVpnServerActive(gatewayId, serverId);
    }
    for (const ca of desiredCas ?? []) {
      await tf('POST', CAS, { pathParams: { vpn_server_id: serverId }, data: { client_ca_certificate: ca } });
      await waitForVpnServerActive(gatewayId, serverId);
    }
    state = await readServer(gatewayId, serverId);
  }

  test('create: CERT with one client CA "test-cert"', async () => {
    const created = await createServer(gatewayId, {
      local_subnets: ['10.40.0.0/24'],
      client_cidr: '172.22.0.0/24',
      tunnel_protocol: 'SSL',
      client_auth_type: 'CERT',
      server_certificate: { id: SERVER_CERTIFICATE_ID },
      client_ca_certificates: [{ content: CA_CONTENT, name: 'test-cert' }],
      ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
    });
    serverId = created.id;
    state = created.state;
    expectAcceptanceFields(state, 443);
    expect(uploaded(state.server).map((ca) => ca.name)).toEqual(['test-cert']);
    expect(state.client_config).not.toContain('auth-user-pass');
  });

  test('(a) the CA renamed "test-cert-update" with the same content, new subnets, cidr, port 1194, AES-256-GCM', async () => {
    const before = uploaded(state.server)[0]!;
    await update(
      {
        local_subnets: ['10.41.0.0/24', '10.42.0.0/24'],
        client_cidr: '172.23.0.0/24',
        client_auth_type: 'CERT',
        server_certificate: { id: SERVER_CERTIFICATE_ID },
        ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM' },
      },
      [{ name: 'test-cert-update', content: CA_CONTENT }],
    );
    expectAcceptanceFields(state, 1194);
    expect(state.server).toMatchObject({
      local_subnets: ['10.41.0.0/24', '10.42.0.0/24'],
      client_cidr: '172.23.0.0/24',
      client_auth_type: 'CERT',
      ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: false },
    });
    const [after, ...rest] = uploaded(state.server);
    expect(rest).toEqual([]);
    expect(after).toMatchObject({ name: 'test-cert-update', serial_number: before.serial_number, subject: before.subject });
    expect(after!.id).not.toBe(before.id);
    expect(state.client_config).toContain('remote 198.51.100.3 1194\n');
    expect(state.client_config).toContain('data-ciphers AES-256-GCM\n');
  });

  test('(b) to LOCAL_PASSWORD: the CA deleted while still CERT, then the PUT; no CA is left', async () => {
    await update(
      {
        local_subnets: ['10.41.0.0/24', '10.42.0.0/24'],
        client_cidr: '172.23.0.0/24',
        client_auth_type: 'LOCAL_PASSWORD',
        server_certificate: { id: SERVER_CERTIFICATE_ID },
        ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM' },
      },
      [],
    );
    expectAcceptanceFields(state, 1194);
    expect(state.server.client_auth_type).toBe('LOCAL_PASSWORD');
    expect(uploaded(state.server)).toHaveLength(0);
    expect(state.client_config).toContain('auth-user-pass\n');
  });

  test('(c) back to CERT: the PUT with no CA, then the CA imported', async () => {
    await update(
      {
        local_subnets: ['10.41.0.0/24', '10.42.0.0/24'],
        client_cidr: '172.23.0.0/24',
        client_auth_type: 'CERT',
        server_certificate: { id: SERVER_CERTIFICATE_ID },
        ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM' },
      },
      [{ name: 'test-cert', content: CA_CONTENT }],
    );
    expectAcceptanceFields(state, 1194);
    expect(state.server.client_auth_type).toBe('CERT');
    expect(uploaded(state.server).map((ca) => ca.name)).toEqual(['test-cert']);
    expect(state.client_config).not.toContain('auth-user-pass');
  });

  test('a PUT with "ssl_options": {} keeps every ssl option', async () => {
    const before = state.server;
    await update({ local_subnets: ['10.41.0.0/24', '10.42.0.0/24'], client_cidr: '172.23.0.0/24', ssl_options: {} }, undefined);
    expect(state.server.ssl_options).toEqual(before.ssl_options);
    expect(state.server.client_auth_type).toBe('CERT');
  });
});

describe('huaweicloud_vpn_client_ca_certificate', () => {
  let serverId: string;
  let caId: string;
  const caPath = () => ({ pathParams: { vpn_server_id: serverId, client_ca_certificate_id: caId } });

  beforeAll(async () => {
    const created = await createServer(GATEWAYS.caResource, {
      local_subnets: ['10.50.0.0/24'],
      client_cidr: '172.24.0.0/24',
      client_auth_type: 'CERT',
      server_certificate: { id: SERVER_CERTIFICATE_ID },
      client_ca_certificates: [{ content: OTHER_CA_CONTENT, name: 'server-ca' }],
      ssl_options: {},
    });
    serverId = created.id;
  });

  /** resourceClientCACertificateRead */
  async function readCa(): Promise<Record<string, any>> {
    const shown = await tf('GET', CA, caPath());
    return shown.json.client_ca_certificate;
  }

  test('create: POST with a name, wait on the project list, then Read gives every computed field', async () => {
    const created = await tf('POST', CAS, { pathParams: { vpn_server_id: serverId }, data: { client_ca_certificate: { name: 'tf-ca', content: CA_CONTENT } } });
    caId = created.json.client_ca_certificate?.id;
    expect(caId).toMatch(/^[0-9a-f-]{36}$/);
    await waitForClientCaCompleted(serverId);
    const ca = await readCa();
    expect(ca).toEqual(
      expect.objectContaining({
        id: caId,
        name: 'tf-ca',
        issuer: nonEmpty,
        subject: nonEmpty,
        serial_number: nonEmpty,
        expiration_time: nonEmpty,
        signature_algorithm: nonEmpty,
        created_at: nonEmpty,
        updated_at: nonEmpty,
      }),
    );
    expect(ca.content).toBeUndefined();
    expect(ca.subject).toBe('C=CN, O=P2C VPN Demo, CN=P2C VPN Demo OpenVPN Client CA');
  });

  test('rename: PUT the name, wait, Read shows it', async () => {
    await tf('PUT', CA, { ...caPath(), data: { client_ca_certificate: { name: 'tf-ca-renamed' } } });
    await waitForClientCaCompleted(serverId);
    expect((await readCa()).name).toBe('tf-ca-renamed');
    const list = await tf('GET', BY_PROJECT);
    expect(uploaded(pick(list, serverId)!).map((ca) => ca.name).sort()).toEqual(['server-ca', 'tf-ca-renamed']);
  });

  test('delete: 204, wait, then GET is 404 VPN.0004 and a second DELETE 404 (Terraform: already gone)', async () => {
    const deleted = await tf('DELETE', CA, caPath());
    expect(deleted.status).toBe(204);
    await waitForClientCaCompleted(serverId);
    const gone = await sdk('GET', CA, caPath());
    expect({ status: gone.status, code: gone.json.error_code }).toEqual({ status: 404, code: 'VPN.0004' });
    const again = await sdk('DELETE', CA, caPath());
    expect({ status: again.status, code: again.json.error_code }).toEqual({ status: 404, code: 'VPN.0004' });
    const list = await tf('GET', BY_PROJECT);
    expect(uploaded(pick(list, serverId)!).map((ca) => ca.name)).toEqual(['server-ca']);
  });
});

describe('the client profile export as each client sends it', () => {
  let serverId: string;
  beforeAll(async () => {
    serverId = (
      await createServer(GATEWAYS.export, {
        local_subnets: ['10.60.0.0/24'],
        client_cidr: '172.25.0.0/24',
        server_certificate: { id: SERVER_CERTIFICATE_ID },
        ssl_options: {},
      })
    ).id;
  });

  test('without a body (older Node SDKs), with {} and with {"os_type":"Linux"}: the same non-empty profile', async () => {
    const pathParams = { vpn_server_id: serverId };
    const none = await tf('POST', EXPORT, { pathParams });
    const empty = await tf('POST', EXPORT, { pathParams, data: {} });
    const linux = await tf('POST', EXPORT, { pathParams, data: { os_type: 'Linux' } });
    expect(empty.json.client_config).toMatch(/^client\n/);
    expect(empty.json.client_config).toContain('remote 198.51.100.5 443\n');
    expect(none.json.client_config).toBe(empty.json.client_config);
    expect(linux.json.client_config).toBe(empty.json.client_config);
    for (const result of [none, empty, linux]) expect(result.json.request_id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('data source huaweicloud_vpn_p2c_gateways', () => {
  /** what data_source_huaweicloud_vpn_p2c_gateways_test.go requires set on p2c_vpn_gateways.0 */
  const expectAcceptanceFields = (gateway: Record<string, any>) => {
    expect(gateway).toEqual(
      expect.objectContaining({
        id: nonEmpty,
        name: nonEmpty,
        status: nonEmpty,
        vpc_id: nonEmpty,
        connect_subnet: nonEmpty,
        flavor: nonEmpty,
        availability_zone_ids: expect.arrayContaining([nonEmpty]),
        enterprise_project_id: nonEmpty,
        eip: expect.objectContaining({
          id: nonEmpty,
          ip_version: 4,
          ip_billing_info: nonEmpty,
          type: nonEmpty,
          ip_address: nonEmpty,
          charge_mode: nonEmpty,
          bandwidth_id: nonEmpty,
          bandwidth_size: expect.any(Number),
          bandwidth_name: nonEmpty,
          bandwidth_billing_info: nonEmpty,
          share_type: nonEmpty,
        }),
      }),
    );
    // and what else it maps: the counts as numbers, the tags as key/value pairs, the times
    expect(gateway).toEqual(
      expect.objectContaining({
        current_connection_number: 0,
        max_connection_number: expect.any(Number),
        tags: expect.any(Array),
        created_at: nonEmpty,
        updated_at: nonEmpty,
      }),
    );
  };

  test('one GET without any query: every gateway of the project on that first page, the acceptance fields set', async () => {
    const read = await tf('GET', P2C_GATEWAYS);
    const expected = [...seed.p2c_vpn_gateways!, ...extra].filter((gateway) => gateway.project_id === PROJECT).map((gateway) => gateway.id).sort();
    const gateways = read.json.p2c_vpn_gateways as Record<string, any>[];
    expect(gateways.map((gateway) => gateway.id)).toEqual(expected);
    expect(gateways.map((gateway) => gateway.id)).not.toContain(OTHER_PROJECT_GATEWAY);
    expect([read.json.total_count, read.json.page_info]).toEqual([expected.length, { current_count: expected.length }]);
    expectAcceptanceFields(gateways[0]!);
    for (const gateway of gateways) expectAcceptanceFields(gateway);
    // the demo gateway as its seed entry gives it
    const { project_id: _project, ...demo } = template;
    expect(gateways.find((gateway) => gateway.id === GATEWAY)).toEqual({ ...demo, current_connection_number: 0 });
  });

  test("the SDK's showP2cVgw answers the gateway as the list does; another project's gateway is 404 VPN.0004", async () => {
    const listed = (await tf('GET', P2C_GATEWAYS)).json.p2c_vpn_gateways as Record<string, any>[];
    const shown = await tf('GET', P2C_GATEWAY, { pathParams: { p2c_vgw_id: GATEWAYS.export.toUpperCase() } });
    expect(shown.json.p2c_vpn_gateway).toEqual(listed.find((gateway) => gateway.id === GATEWAYS.export));
    const other = await sdk('GET', P2C_GATEWAY, { pathParams: { p2c_vgw_id: OTHER_PROJECT_GATEWAY } });
    expect({ status: other.status, code: other.json.error_code }).toEqual({ status: 404, code: 'VPN.0004' });
  });

  test('paged as the SDK pages: limit, then the marker as next_marker gave it, each page once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await tf('GET', P2C_GATEWAYS, { queryParams: { limit: '3', ...(marker ? { marker } : {}) } });
      seen.push(...(page.json.p2c_vpn_gateways as { id: string }[]).map((gateway) => gateway.id));
      marker = page.json.page_info.next_marker;
      pages += 1;
    } while (marker && pages < 10);
    expect(seen).toEqual((await tf('GET', P2C_GATEWAYS)).json.p2c_vpn_gateways.map((gateway: { id: string }) => gateway.id));
    expect(pages).toBe(Math.ceil(seen.length / 3));
  });
});
