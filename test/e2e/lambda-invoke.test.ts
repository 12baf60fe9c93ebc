/** The event function through serverless-offline's Lambda invoke API, as an AWS SDK client calls it:
 * the bundled `p2c-vpn-dev-events` function creates and lists, answers a bad payload with a result, and
 * takes the lifecycle actions of contract 10.4 with the same status and body as the HTTP API. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommand } from '../../lib/cli/parse';
import { buildRequest } from '../../lib/cli/request';
import { demoSeed } from '../support/local-table';
import { checkPath, clientCaPath, exportPath, importPath, projectServersPath, serverPath } from '../support/paths';
import { DEMO_CREDENTIAL, GATEWAY, PROJECT, SECOND_GATEWAY, certAuthExample, passwordAuthExample, passwordBody } from '../support/requests';
import { call } from './support/signed-fetch';
import { startStack, writeSeedFile, type Stack } from './support/stack';

const FUNCTION_NAME = 'p2c-vpn-dev-events';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[0-9a-f]{32}$/;

interface Result {
  status_code: number;
  body: Record<string, unknown>;
}

let stack: Stack | undefined;
let lambda: LambdaClient;

/** A gateway of this test's own, with an EIP, for a CERT server's lifecycle. */
const CERT_GATEWAY = randomUUID();

beforeAll(async () => {
  const seed = demoSeed();
  const extra = {
    project_id: PROJECT,
    id: CERT_GATEWAY,
    name: 'invoke-cert',
    vpc_id: randomUUID(),
    status: 'ACTIVE',
    max_connection_number: 10,
    eip: { ip_address: '198.51.100.77' },
  };
  stack = await startStack({ seedFile: writeSeedFile({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, extra] }) });
  lambda = new LambdaClient({
    endpoint: stack.lambdaEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}, 180_000);

afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
}, 60_000);

/** A synchronous invoke; the function must answer with a result, never a function error. */
async function invoke(payload: unknown): Promise<unknown> {
  const output = await lambda.send(
    new InvokeCommand({ FunctionName: FUNCTION_NAME, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }),
  );
  const text = Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8');
  expect({ statusCode: output.StatusCode, functionError: output.FunctionError, payload: text }).toEqual({
    statusCode: 200,
    functionError: undefined,
    payload: expect.any(String),
  });
  return JSON.parse(text);
}

const createPayload = (gatewayId: string, body = passwordAuthExample()) => ({
  action: 'CreateVpnServer',
  project_id: PROJECT,
  p2c_vgw_id: gatewayId,
  ...body,
});
const listPayload = (gatewayId: string) => ({ action: 'ListVpnServersByVgw', project_id: PROJECT, p2c_vgw_id: gatewayId });

/** The HTTP API's list of a gateway's servers, signed with the demo credential. */
async function httpList(gatewayId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const command = parseCommand(['list-vpn-servers', '--endpoint', stack!.baseUrl, '--project', PROJECT, '--gateway', gatewayId], {});
  if (!('operation' in command)) throw new Error('expected a command');
  const request = buildRequest(
    command,
    DEMO_CREDENTIAL,
    undefined,
    new Date(),
  );
  const response = await fetch(request.url, { method: request.method, headers: request.headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const withoutRequestId = ({ request_id: _id, ...rest }: Record<string, unknown>) => rest;

test('a create by SDK invoke answers 201; the invoke list and the HTTP GET both show the server', async () => {
  const created = (await invoke(createPayload(GATEWAY))) as Result;
  expect(created).toEqual({
    status_code: 201,
    body: { vpn_server: { id: expect.stringMatching(UUID) }, request_id: expect.stringMatching(REQUEST_ID) },
  });
  const id = (created.body.vpn_server as { id: string }).id;

  const listed = (await invoke(listPayload(GATEWAY))) as Result;
  expect(listed.status_code).toBe(200);
  expect(listed.body).toMatchObject({ total_count: 1, page_info: { current_count: 1 }, request_id: expect.stringMatching(REQUEST_ID) });
  expect(listed.body.vpn_servers).toEqual([
    expect.objectContaining({ id, p2c_vgw_id: GATEWAY, client_cidr: '172.16.0.0/24', client_auth_type: 'LOCAL_PASSWORD', status: 'ACTIVE' }),
  ]);

  // the same body the HTTP API gives
  const http = await httpList(GATEWAY);
  expect(http.status).toBe(200);
  expect(withoutRequestId(http.body)).toEqual(withoutRequestId(listed.body));

  // a second create on the gateway is a 409 result, not a function error
  const second = (await invoke(createPayload(GATEWAY, passwordBody({ client_cidr: '172.17.0.0/24' })))) as Result;
  expect([second.status_code, second.body.error_code]).toEqual([409, 'VPN.0031']);
}, 60_000);

test.each([
  ['an unknown action', { action: 'DeleteVpnServer', project_id: PROJECT, p2c_vgw_id: SECOND_GATEWAY }],
  ['an unknown field', { ...createPayload(SECOND_GATEWAY), region: 'eu-west-1' }],
  ['a bad project_id', { ...listPayload(SECOND_GATEWAY), project_id: 'not-a-project' }],
  ['null', null],
])('an invalid payload (%s) is a 400 VPN.0001 result', async (_name, payload) => {
  const result = await invoke(payload);
  expect(result).toEqual({
    status_code: 400,
    body: { error_code: 'VPN.0001', error_msg: expect.stringMatching(/^invalid request: /), request_id: expect.stringMatching(REQUEST_ID) },
  });
}, 60_000);

test('an SQS-shaped event through the same function: good record stored, invalid record acknowledged', async () => {
  const record = (body: string) => ({
    messageId: randomUUID(),
    receiptHandle: 'receipt',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'local', ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:p2c-vpn-dev-events',
    awsRegion: 'eu-west-1',
  });
  // SECOND_GATEWAY's VPC routes 172.16.0.0/16, so this create uses another client CIDR
  const good = record(JSON.stringify(createPayload(SECOND_GATEWAY, passwordBody({ client_cidr: '100.64.0.0/24' }))));
  const invalid = record('not json');
  expect(await invoke({ Records: [good, invalid] })).toEqual({ batchItemFailures: [] });

  const http = await httpList(SECOND_GATEWAY);
  expect(http.status).toBe(200);
  expect(http.body.vpn_servers).toEqual([expect.objectContaining({ p2c_vgw_id: SECOND_GATEWAY, client_cidr: '100.64.0.0/24' })]);
}, 60_000);

describe('the lifecycle actions (contract 10.4) answer what the HTTP API answers', () => {
  const CA_CONTENT = readFileSync(path.join(__dirname, '../fixtures/pki/client-ca.pem'), 'utf8');
  let serverId: string;
  let caId: string;

  /** The HTTP API's answer as an invoke result: {status_code, body}, without the request id. */
  async function http(method: string, urlPath: string, options: Parameters<typeof call>[3] = {}): Promise<Result> {
    const result = await call(stack!.baseUrl, method, urlPath, options);
    if (result.status !== 204) expect(result.json.request_id).toMatch(REQUEST_ID);
    expect(result.headers.get('x-request-id')).toMatch(REQUEST_ID);
    return { status_code: result.status, body: withoutRequestId(result.json) };
  }

  /** The invoke's result, without the request id (which it carries unless it is a 204). */
  async function invoked(payload: Record<string, unknown>): Promise<Result> {
    const result = (await invoke(payload)) as Result;
    if (result.status_code !== 204) expect(result.body.request_id).toMatch(REQUEST_ID);
    return { status_code: result.status_code, body: withoutRequestId(result.body) };
  }

  const caTarget = (id = caId) => ({ project_id: PROJECT, vpn_server_id: serverId, client_ca_certificate_id: id });

  beforeAll(async () => {
    const created = (await invoke(createPayload(CERT_GATEWAY, certAuthExample()))) as Result;
    expect(created.status_code).toBe(201);
    serverId = (created.body.vpn_server as { id: string }).id;
  }, 60_000);

  test('UpdateVpnServer: 200 with the same body; an invalid update is the same 400', async () => {
    const vpnServer = { local_subnets: ['10.90.0.0/24'], ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' } };
    const byInvoke = await invoked({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: serverId, vpn_server: vpnServer });
    // the same update again over HTTP: it changes nothing, and answers the same
    const byHttp = await http('PUT', serverPath(PROJECT, serverId), { body: { vpn_server: vpnServer } });
    expect(byInvoke).toEqual({ status_code: 200, body: {} });
    expect(byHttp).toEqual(byInvoke);
    const listed = (await invoke(listPayload(CERT_GATEWAY))) as Result;
    expect((listed.body.vpn_servers as Record<string, any>[])[0]).toMatchObject({
      local_subnets: ['10.90.0.0/24'],
      ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' },
    });

    const invalid = { ssl_options: { is_compressed: true }, tunnel_protocol: 'SSL' };
    const badInvoke = await invoked({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: serverId, vpn_server: invalid });
    expect(badInvoke).toMatchObject({ status_code: 400, body: { error_code: 'VPN.0001' } });
    expect(await http('PUT', serverPath(PROJECT, serverId), { body: { vpn_server: invalid } })).toEqual(badInvoke);
  }, 60_000);

  test('CheckClientCaCertificate: the same 200 description', async () => {
    const clientCa = { name: 'checked', content: CA_CONTENT };
    const byInvoke = await invoked({ action: 'CheckClientCaCertificate', project_id: PROJECT, client_ca_certificate: clientCa });
    expect(byInvoke).toMatchObject({ status_code: 200, body: { name: 'checked', subject: expect.stringContaining('OpenVPN Client CA') } });
    expect(await http('POST', checkPath(PROJECT), { body: { client_ca_certificate: clientCa } })).toEqual(byInvoke);
  }, 60_000);

  test('ImportClientCa: 201 with the CA id; the HTTP replay with the same token answers the same id', async () => {
    const token = randomUUID();
    const clientCa = { name: 'imported', content: CA_CONTENT };
    const byInvoke = await invoked({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: serverId, client_token: token, client_ca_certificate: clientCa });
    expect(byInvoke).toEqual({ status_code: 201, body: { client_ca_certificate: { id: expect.stringMatching(UUID) } } });
    caId = (byInvoke.body.client_ca_certificate as { id: string }).id;
    const byHttp = await http('POST', importPath(PROJECT, serverId), {
      body: { client_ca_certificate: clientCa },
      headers: { 'X-Client-Token': token },
    });
    expect(byHttp).toEqual(byInvoke);
    // without a token, the same content again is the same duplicate error both ways
    const duplicate = await invoked({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: serverId, client_ca_certificate: { content: CA_CONTENT } });
    expect(duplicate).toMatchObject({ status_code: 400, body: { error_code: 'VPN.0077' } });
    expect(await http('POST', importPath(PROJECT, serverId), { body: { client_ca_certificate: { content: CA_CONTENT } } })).toEqual(duplicate);
  }, 60_000);

  test('ShowClientCa and UpdateClientCa: the same bodies; the rename shows both ways', async () => {
    const shown = await invoked({ action: 'ShowClientCa', ...caTarget() });
    expect(shown).toMatchObject({ status_code: 200, body: { client_ca_certificate: { id: caId, name: 'imported' } } });
    expect(await http('GET', clientCaPath(PROJECT, serverId, caId))).toEqual(shown);

    const rename = { name: 'renamed' };
    const byInvoke = await invoked({ action: 'UpdateClientCa', ...caTarget(), client_ca_certificate: rename });
    expect(byInvoke).toEqual({ status_code: 200, body: {} });
    expect(await http('PUT', clientCaPath(PROJECT, serverId, caId), { body: { client_ca_certificate: rename } })).toEqual(byInvoke);

    const after = await invoked({ action: 'ShowClientCa', ...caTarget() });
    expect(after).toMatchObject({ status_code: 200, body: { client_ca_certificate: { id: caId, name: 'renamed' } } });
    expect(await http('GET', clientCaPath(PROJECT, serverId, caId))).toEqual(after);
  }, 60_000);

  test('ExportClientConfig: the same profile, with and without os_type', async () => {
    const byInvoke = await invoked({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: serverId });
    expect(byInvoke).toEqual({ status_code: 200, body: { client_config: expect.stringContaining('remote 198.51.100.77 1194\n') } });
    expect(await http('POST', exportPath(PROJECT, serverId), { body: {} })).toEqual(byInvoke);
    const linux = await invoked({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: serverId, os_type: 'Linux' });
    expect(linux).toEqual(byInvoke);
    expect(await http('POST', exportPath(PROJECT, serverId), { body: { os_type: 'Linux' } })).toEqual(linux);
    const bad = await invoked({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: serverId, os_type: 'Plan9' });
    expect(bad).toMatchObject({ status_code: 400, body: { error_code: 'VPN.0001' } });
    expect(await http('POST', exportPath(PROJECT, serverId), { body: { os_type: 'Plan9' } })).toEqual(bad);
  }, 60_000);

  test('ListVpnServersByProject: the same page, with and without limit and marker', async () => {
    const all = await invoked({ action: 'ListVpnServersByProject', project_id: PROJECT });
    expect(all.status_code).toBe(200);
    expect((all.body.vpn_servers as { id: string }[]).map((server) => server.id)).toContain(serverId);
    expect(await http('GET', projectServersPath(PROJECT))).toEqual(all);

    // as the query string carries it (an integer is the test below)
    const first = await invoked({ action: 'ListVpnServersByProject', project_id: PROJECT, limit: '1' });
    expect(first).toMatchObject({ status_code: 200, body: { page_info: { current_count: 1, next_marker: expect.any(String) } } });
    expect(await http('GET', projectServersPath(PROJECT), { query: { limit: '1' } })).toEqual(first);
    const marker = (first.body.page_info as { next_marker: string }).next_marker;
    const second = await invoked({ action: 'ListVpnServersByProject', project_id: PROJECT, limit: '1', marker });
    expect(second.status_code).toBe(200);
    expect(await http('GET', projectServersPath(PROJECT), { query: { limit: '1', marker } })).toEqual(second);
  }, 60_000);

  // the SDK's model types limit as a number: an event carries it as a JSON integer
  test('ListVpnServersByProject takes limit as a JSON integer, as the query string gives it', async () => {
    const asInteger = await invoked({ action: 'ListVpnServersByProject', project_id: PROJECT, limit: 1 });
    expect(asInteger).toEqual(await http('GET', projectServersPath(PROJECT), { query: { limit: '1' } }));
  }, 60_000);

  test('DeleteClientCa: 204 both ways; deleting it again is the same 404 both ways', async () => {
    const listed = (await invoke(listPayload(CERT_GATEWAY))) as Result;
    const cas = (listed.body.vpn_servers as Record<string, any>[])[0]!.client_ca_certificates as { id: string; name: string }[];
    expect(cas.map((ca) => ca.name).sort()).toEqual(['client_ca_8sux3d', 'renamed']);
    const other = cas.find((ca) => ca.id !== caId)!.id;

    expect(await invoked({ action: 'DeleteClientCa', ...caTarget() })).toEqual({ status_code: 204, body: {} });
    expect(await http('DELETE', clientCaPath(PROJECT, serverId, other))).toEqual({ status_code: 204, body: {} });

    const again = await invoked({ action: 'DeleteClientCa', ...caTarget() });
    expect(again).toMatchObject({ status_code: 404, body: { error_code: 'VPN.0004' } });
    expect(await http('DELETE', clientCaPath(PROJECT, serverId, caId))).toEqual(again);
    const show = await invoked({ action: 'ShowClientCa', ...caTarget() });
    expect(show).toMatchObject({ status_code: 404, body: { error_code: 'VPN.0004' } });
    expect(await http('GET', clientCaPath(PROJECT, serverId, caId))).toEqual(show);
    const after = (await invoke(listPayload(CERT_GATEWAY))) as Result;
    expect((after.body.vpn_servers as Record<string, any>[])[0]!.client_ca_certificates ?? []).toEqual([]);
  }, 60_000);
});
