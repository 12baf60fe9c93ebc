/** Through serverless-offline: the reference examples, the read-back, one error of each status, and
 * the official Huawei SDK core as a client. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { demoSeed } from '../support/local-table';
import { gatewayServersPath, projectServersPath } from '../support/paths';
import { startStack, type Stack } from './support/stack';
import { call } from './support/signed-fetch';
import {
  DEMO_CREDENTIAL,
  GATEWAY,
  OTHER_CREDENTIAL,
  OTHER_PROJECT_GATEWAY,
  PROJECT,
  SECOND_GATEWAY,
  certAuthExample,
  passwordAuthExample,
  passwordBody,
} from '../support/requests';

jest.setTimeout(120_000);

const TOKEN_GATEWAY = randomUUID();
const SDK_GATEWAY = randomUUID();

let stack: Stack;
beforeAll(async () => {
  const seed = demoSeed();
  const extra = [TOKEN_GATEWAY, SDK_GATEWAY].map((id, index) => ({
    project_id: PROJECT,
    id,
    name: `e2e-${index}`,
    vpc_id: randomUUID(),
    status: 'ACTIVE',
    max_connection_number: 20,
  }));
  const seedFile = path.join(mkdtempSync(path.join(tmpdir(), 'p2c-vpn-e2e-')), 'seed.json');
  writeFileSync(seedFile, JSON.stringify({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...extra] }));
  stack = await startStack({ seedFile });
});
afterAll(() => stack?.stop());

const serversPath = (gatewayId: string) => gatewayServersPath(PROJECT, gatewayId);
const REQUEST_ID = /^[0-9a-f]{32}$/;

function expectHuaweiError(result: { status: number; headers: Headers; json: Record<string, any> }, status: number, code: string) {
  expect({ status: result.status, code: result.json.error_code }).toEqual({ status, code });
  expect(result.json.error_msg).toEqual(expect.any(String));
  expect(result.json.request_id).toMatch(REQUEST_ID);
  expect(result.headers.get('x-request-id')).toBe(result.json.request_id);
}

describe('the reference examples and the read-back', () => {
  let passwordId: string;
  let certId: string;

  test('both examples of the API page answer 201 with an id and a request id', async () => {
    const password = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { body: passwordAuthExample() });
    const cert = await call(stack.baseUrl, 'POST', serversPath(SECOND_GATEWAY), { body: certAuthExample() });
    for (const result of [password, cert]) {
      expect(result.status).toBe(201);
      expect(result.json.vpn_server.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.json.request_id).toMatch(REQUEST_ID);
      expect(result.headers.get('x-request-id')).toBe(result.json.request_id);
    }
    expect(password.json.request_id).not.toBe(cert.json.request_id);
    passwordId = password.json.vpn_server.id;
    certId = cert.json.vpn_server.id;
  });

  test('GET by gateway shows the stored server with defaults, the normalised CIDR and certificate facts', async () => {
    const result = await call(stack.baseUrl, 'GET', serversPath(SECOND_GATEWAY));
    expect(result.status).toBe(200);
    expect(result.json.total_count).toBe(1);
    const [server] = result.json.vpn_servers;
    expect(server).toMatchObject({ id: certId, client_cidr: '172.16.0.0/24', client_auth_type: 'CERT', status: 'ACTIVE' });
    expect(server.client_ca_certificates[0]).toMatchObject({ name: 'client_ca_8sux3d', issuer: expect.any(String), serial_number: expect.any(String) });
    expect(server.server_certificate).toMatchObject({ id: 'scs1716171403922', expiration_time: expect.stringMatching(/Z$/) });
    expect(JSON.stringify(result.json)).not.toContain('CERTIFICATE-----');
  });

  test('GET by project pages with limit and marker', async () => {
    const first = await call(stack.baseUrl, 'GET', projectServersPath(PROJECT), { query: { limit: '1' } });
    expect(first.status).toBe(200);
    expect(first.json.total_count).toBe(2);
    expect(first.json.page_info.current_count).toBe(1);
    const second = await call(stack.baseUrl, 'GET', projectServersPath(PROJECT), { query: { limit: '1', marker: first.json.page_info.next_marker } });
    expect(second.json.page_info.next_marker).toBeUndefined();
    const ids = [...first.json.vpn_servers, ...second.json.vpn_servers].map((server: { id: string }) => server.id);
    expect(ids.sort()).toEqual([passwordId, certId].sort());
  });

  test('X-Client-Token over HTTP: a replay answers the same id; another body with it is 409', async () => {
    const token = randomUUID();
    const body = passwordBody({ client_cidr: '100.64.0.0/24' });
    const first = await call(stack.baseUrl, 'POST', serversPath(TOKEN_GATEWAY), { body, headers: { 'x-client-token': token } });
    const replay = await call(stack.baseUrl, 'POST', serversPath(TOKEN_GATEWAY), { body, headers: { 'X-Client-Token': token } });
    expect([first.status, replay.status]).toEqual([201, 201]);
    expect(replay.json.vpn_server.id).toBe(first.json.vpn_server.id);
    const reused = await call(stack.baseUrl, 'POST', serversPath(TOKEN_GATEWAY), {
      body: passwordBody({ client_cidr: '100.65.0.0/24' }),
      headers: { 'x-client-token': token },
    });
    expectHuaweiError(reused, 409, 'VPN.0031');
  });
});

describe('one error of each status', () => {
  test('400 VPN.0001 names the field', async () => {
    const result = await call(stack.baseUrl, 'POST', serversPath(randomUUID()), { body: passwordBody({ client_cidr: '010.0.0.0/8' }) });
    expectHuaweiError(result, 400, 'VPN.0001');
    expect(result.json.error_msg).toContain('vpn_server.client_cidr');
  });

  test('401 APIGW.0301 for a missing or wrong signature', async () => {
    expectHuaweiError(await call(stack.baseUrl, 'GET', serversPath(GATEWAY), { sign: false }), 401, 'APIGW.0301');
    const wrongSecret = { accessKey: DEMO_CREDENTIAL.accessKey, secretKey: `${DEMO_CREDENTIAL.secretKey}x` };
    expectHuaweiError(await call(stack.baseUrl, 'GET', serversPath(GATEWAY), { credential: wrongSecret }), 401, 'APIGW.0301');
  });

  test('403 VPN.0007 for a key not bound to the project', async () => {
    expectHuaweiError(await call(stack.baseUrl, 'GET', serversPath(GATEWAY), { credential: OTHER_CREDENTIAL }), 403, 'VPN.0007');
  });

  test("404 VPN.0004 for an unknown gateway, and for another project's", async () => {
    expectHuaweiError(await call(stack.baseUrl, 'GET', serversPath(randomUUID())), 404, 'VPN.0004');
    expectHuaweiError(await call(stack.baseUrl, 'POST', serversPath(OTHER_PROJECT_GATEWAY), { body: passwordAuthExample() }), 404, 'VPN.0004');
  });

  test('404 APIGW.0101 for an unknown path or method', async () => {
    expectHuaweiError(await call(stack.baseUrl, 'GET', '/v5/nothing-here'), 404, 'APIGW.0101');
    expectHuaweiError(await call(stack.baseUrl, 'DELETE', serversPath(GATEWAY)), 404, 'APIGW.0101');
  });

  test('409 VPN.0031 for a second server on a gateway', async () => {
    expectHuaweiError(await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { body: passwordAuthExample() }), 409, 'VPN.0031');
  });

  test('413 for a body over 256 KiB and 415 for a body that is not JSON', async () => {
    const big = JSON.stringify({ vpn_server: { padding: 'x'.repeat(300 * 1024) } });
    expectHuaweiError(await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { rawBody: big }), 413, 'VPN.0001');
    const text = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expectHuaweiError(text, 415, 'VPN.0001');
  });
});

describe('the official Huawei SDK core as a client', () => {
  let client: HcClient;
  beforeAll(() => {
    client = new ClientBuilder<HcClient>((hcClient: HcClient) => hcClient)
      .withEndpoint(stack.baseUrl)
      .withCredential(new BasicCredentials().withAk(DEMO_CREDENTIAL.accessKey).withSk(DEMO_CREDENTIAL.secretKey).withProjectId(PROJECT))
      .build();
  });

  test('creates and lists servers unmodified', async () => {
    const created = await client.sendRequest<any>({
      method: 'POST',
      url: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
      contentType: 'application/json;charset=UTF-8',
      queryParams: {},
      pathParams: { p2c_vgw_id: SDK_GATEWAY },
      headers: { 'X-Client-Token': randomUUID() },
      data: passwordBody({ client_cidr: '100.66.0.0/24' }),
    });
    expect(created.httpStatusCode).toBe(201);
    const id = created.vpn_server.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await client.sendRequest<any>({
      method: 'GET',
      url: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
      contentType: 'application/json',
      queryParams: {},
      pathParams: { p2c_vgw_id: SDK_GATEWAY },
      headers: {},
    });
    expect(listed.httpStatusCode).toBe(200);
    expect(listed.vpn_servers.map((server: { id: string }) => server.id)).toEqual([id]);
  });
});
