/** Through serverless-offline, the way `npm start` runs it (CONTRACT.md section 9, last bullet): the
 * function sees the request's bytes and headers as sent, so signed requests answer as behind API
 * Gateway; and the stack holds a burst of concurrent creates. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedWithGateways } from '../reliability/support/table';
import { gatewayServersPath, projectServersPath } from '../support/paths';
import { GATEWAY, PROJECT, passwordAuthExample } from '../support/requests';
import { call, type CallResult } from './support/signed-fetch';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const CONCURRENT_CREATES = 64;
const REQUEST_ID = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// one gateway for the pretty-printed create, the others for the burst
const { seed, gateways } = seedWithGateways(CONCURRENT_CREATES + 1);
const [prettyGateway, ...burstGateways] = gateways as [string, ...string[]];
const seedDir = mkdtempSync(path.join(tmpdir(), 'p2c-vpn-fidelity-'));

let stack: Stack;
beforeAll(async () => {
  const seedFile = path.join(seedDir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  stack = await startStack({ seedFile });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(seedDir, { recursive: true, force: true });
}, 60_000);

const serversPath = (gatewayId: string) => gatewayServersPath(PROJECT, gatewayId);

function expectHuaweiError(result: CallResult, status: number, code: string): void {
  expect({ status: result.status, code: result.json.error_code }).toEqual({ status, code });
  expect(result.json.request_id).toMatch(REQUEST_ID);
  expect(result.headers.get('x-request-id')).toBe(result.json.request_id);
}

async function serversOn(gatewayId: string): Promise<unknown[]> {
  const listed = await call(stack.baseUrl, 'GET', serversPath(gatewayId));
  expect(listed.status).toBe(200);
  return listed.json.vpn_servers as unknown[];
}

describe('the function sees the body as sent', () => {
  // JSON texts that are valid JSON but not a create request: a signature over their bytes verifies,
  // and the schema refuses them (serverless-offline used to hand over JSON.parse's result instead)
  test.each(['"vpn_server"', 'null', '42', '[]', '""', '0', 'false'])('a signed POST with the body %s is 400 VPN.0001, not 401', async (rawBody) => {
    const result = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { rawBody });
    expectHuaweiError(result, 400, 'VPN.0001');
    expect(result.json.error_msg).toMatch(/^invalid request: /);
  });

  test('a signed POST whose bytes are not UTF-8 is 400 VPN.0001 (the bytes reach the function intact)', async () => {
    const rawBody = Buffer.concat([Buffer.from('{"vpn_server": {"client_cidr": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
    const result = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { rawBody });
    expectHuaweiError(result, 400, 'VPN.0001');
    expect(result.json.error_msg).toMatch(/UTF-8/);
  });

  test('a pretty-printed body is verified over its own bytes and creates', async () => {
    const rawBody = JSON.stringify(passwordAuthExample(), null, 2);
    const result = await call(stack.baseUrl, 'POST', serversPath(prettyGateway), { rawBody });
    expect(result.status).toBe(201);
    expect(result.json.vpn_server.id).toMatch(UUID);
  });
});

describe('the function sees the headers as sent', () => {
  test('a signed POST with a valid body and no Content-Type is 415 and creates nothing', async () => {
    const result = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { body: passwordAuthExample(), contentType: null });
    expectHuaweiError(result, 415, 'VPN.0001');
    expect(await serversOn(GATEWAY)).toEqual([]);
  });

  test('the same body with Content-Type: application/json creates (the 415 was the header)', async () => {
    const result = await call(stack.baseUrl, 'POST', serversPath(GATEWAY), { body: passwordAuthExample() });
    expect(result.status).toBe(201);
    expect(await serversOn(GATEWAY)).toEqual([expect.objectContaining({ id: result.json.vpn_server.id })]);
  });
});

test(`${CONCURRENT_CREATES} concurrent creates on ${CONCURRENT_CREATES} gateways all answer 201, one server each; as many invokes list them`, async () => {
  const results = await Promise.all(
    burstGateways.map((gatewayId) => call(stack.baseUrl, 'POST', serversPath(gatewayId), { body: passwordAuthExample() })),
  );
  expect(results.map((result) => [result.status, result.json.error_code])).toEqual(burstGateways.map(() => [201, undefined]));
  const ids = results.map((result) => result.json.vpn_server.id as string);
  expect(new Set(ids).size).toBe(CONCURRENT_CREATES);

  const listed = await call(stack.baseUrl, 'GET', projectServersPath(PROJECT));
  expect(listed.status).toBe(200);
  const stored = new Map((listed.json.vpn_servers as { id: string; p2c_vgw_id: string }[]).map((server) => [server.p2c_vgw_id, server.id]));
  expect(burstGateways.map((gatewayId) => stored.get(gatewayId))).toEqual(ids);

  // the event function on the Lambda invoke port, as many at once
  const lambda = new LambdaClient({
    endpoint: stack.lambdaEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const invoked = await Promise.all(
      burstGateways.map(async (gatewayId) => {
        const payload = { action: 'ListVpnServersByVgw', project_id: PROJECT, p2c_vgw_id: gatewayId };
        const output = await lambda.send(new InvokeCommand({ FunctionName: 'p2c-vpn-dev-events', Payload: Buffer.from(JSON.stringify(payload)) }));
        expect(output.FunctionError).toBeUndefined();
        const result = JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8'));
        expect(result.status_code).toBe(200);
        return (result.body.vpn_servers as { id: string }[]).map((server) => server.id);
      }),
    );
    expect(invoked).toEqual(ids.map((id) => [id]));
  } finally {
    lambda.destroy();
  }
});
