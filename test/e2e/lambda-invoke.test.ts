/** The event function through serverless-offline's Lambda invoke API, as an AWS SDK client calls it:
 * the bundled `p2c-vpn-dev-events` function creates and lists, and answers a bad payload with a result. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { buildRequest } from '../../lib/cli/main';
import { DEMO_CREDENTIAL, GATEWAY, PROJECT, SECOND_GATEWAY, passwordAuthExample, passwordBody } from '../support/requests';
import { startStack, type Stack } from './support/stack';

const FUNCTION_NAME = 'p2c-vpn-dev-events';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[0-9a-f]{32}$/;

interface Result {
  status_code: number;
  body: Record<string, unknown>;
}

let stack: Stack | undefined;
let lambda: LambdaClient;

beforeAll(async () => {
  stack = await startStack();
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
  const request = buildRequest(
    { name: 'list-vpn-servers', endpoint: new URL(stack!.baseUrl), credentials: DEMO_CREDENTIAL, json: true, projectId: PROJECT, gatewayId },
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
