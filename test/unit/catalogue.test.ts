/** A new operation is a schema, a use case and a catalogue entry: this one exists only here, and the
 * HTTP routes, the event actions, the OpenAPI document and the CLI all serve it without an edit. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { createApiHandler } from '../../handlers/api';
import { createEventsHandler } from '../../handlers/events';
import { commandsOf, type ManifestEntry } from '../../lib/cli/commands';
import { manifestEntryOf, renderCliManifest } from '../../lib/cli/manifest';
import { formatResponse } from '../../lib/cli/output';
import { parseCommand, type Command } from '../../lib/cli/parse';
import { buildRequest, readBody } from '../../lib/cli/request';
import { requestIdSchema } from '../../lib/core/ids';
import { parseOrThrow } from '../../lib/core/issues';
import { buildOpenApiDocument } from '../../lib/openapi/document';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { defineOperation } from '../../lib/operations/operation';
import type { ServicePorts } from '../../lib/operations/ports';
import { callApi } from '../support/api-events';

const PROJECT = '0123456789abcdef0123456789abcdef';
const SERVER = '6c5e2f54-6f0d-4b6f-9b1e-0c4a1c8e2d11';
const CREDENTIAL = { accessKey: 'CATALOGUETESTKEY0001', secretKey: 'catalogue-test-secret-0001' };
const lookup = async (accessKey: string) =>
  accessKey === CREDENTIAL.accessKey ? { secretKey: CREDENTIAL.secretKey, projectIds: [PROJECT] } : undefined;

const greetingBodySchema = z.strictObject({ greeting: z.strictObject({ text: z.string().check(z.minLength(1), z.maxLength(20)) }) });
const greetingResponseSchema = () => z.strictObject({ greeting: z.strictObject({ text: z.string(), server: z.string() }), request_id: requestIdSchema });

/** the use case: what it got, and for which server */
const greeted: { serverId: string; text: string }[] = [];

const greetServer = defineOperation({
  name: 'GreetVpnServer',
  method: 'POST',
  path: '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}/greetings',
  body: 'required',
  bodySchema: greetingBodySchema,
  parse: ({ ids, body }) => ({ serverId: ids.vpn_server_id!, text: parseOrThrow(greetingBodySchema, body).greeting.text }),
  run: (command) => {
    greeted.push(command);
    return command;
  },
  reply: ({ serverId, text }) => ({ status: 200, body: { greeting: { text: text.toUpperCase(), server: serverId } } }),
  docs: {
    tag: 'VpnServer',
    summary: 'Greet a VPN server',
    success: { status: 200, description: 'Greeted.', body: greetingResponseSchema },
  },
  cli: {
    bodyOptions: [{ option: 'text', field: 'greeting.text', value: 'TEXT', required: true }],
    done: { say: 'greeted {greeting.server}: {greeting.text}' },
  },
});
const operations = [...OPERATIONS, greetServer];
// the operation touches no port
const ports = {} as ServicePorts;

/** The CLI's request as API Gateway hands it to the function. */
function eventOf(request: ReturnType<typeof buildRequest>): APIGatewayProxyEventV2 {
  const url = new URL(request.url);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: { http: { method: request.method, path: url.pathname } },
    ...(request.body ? { body: Buffer.from(request.body).toString('utf8') } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

beforeEach(() => {
  greeted.length = 0;
});

test('it is routed: a signed call through the HTTP handler reaches its use case and answers its reply', async () => {
  const commands = commandsOf([...(JSON.parse(renderCliManifest()) as ManifestEntry[]), manifestEntryOf(greetServer)]);
  const command = parseCommand(['greet-vpn-server', '--project', PROJECT, '--server', SERVER.toUpperCase(), '--text', 'hello'], {}, commands) as Command;
  const noFiles = () => Promise.reject(new Error('no file is read'));
  const request = buildRequest(command, CREDENTIAL, await readBody(command, noFiles), new Date());
  const response = await callApi(createApiHandler(ports, lookup, operations), eventOf(request));
  expect([response.status, response.json?.greeting]).toEqual([200, { text: 'HELLO', server: SERVER }]);
  expect(greeted).toEqual([{ serverId: SERVER, text: 'hello' }]);
  // the rules it states in its schema are the API's: a text too long is the usual 400 naming the field
  const tooLong = buildRequest(command, CREDENTIAL, new TextEncoder().encode(`{"greeting":{"text":"${'x'.repeat(21)}"}}`), new Date());
  const refused = await callApi(createApiHandler(ports, lookup, operations), eventOf(tooLong));
  expect([refused.status, refused.json?.error_code, refused.json?.error_msg]).toEqual([400, 'VPN.0001', 'invalid request: greeting.text: is too long']);
  // and the catalogue without it has no such route
  const unknown = await callApi(createApiHandler(ports, lookup), eventOf(request));
  expect([unknown.status, unknown.json?.error_code]).toEqual([404, 'APIGW.0101']);
});

test('it is an event action: its ids and its body members at the top level of the payload', async () => {
  const handler = createEventsHandler(ports, operations);
  const result = await handler({ action: 'GreetVpnServer', project_id: PROJECT, vpn_server_id: SERVER, greeting: { text: 'hi' } }, {} as never);
  expect(result).toMatchObject({ status_code: 200, body: { greeting: { text: 'HI', server: SERVER } } });
  const stray = await handler({ action: 'GreetVpnServer', project_id: PROJECT, vpn_server_id: SERVER, greeting: { text: 'hi' }, other: 1 }, {} as never);
  expect(stray).toMatchObject({ status_code: 400, body: { error_code: 'VPN.0001', error_msg: 'invalid request: other: unknown field' } });
});

test('it is documented in OpenAPI: its path, method, parameters, body and answers', () => {
  const document = buildOpenApiDocument(operations) as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };
  const path = document.paths['/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}/greetings']!;
  expect(path.parameters.map((parameter: { $ref: string }) => parameter.$ref)).toEqual(['#/components/parameters/project_id', '#/components/parameters/vpn_server_id']);
  expect(path.post).toMatchObject({ operationId: 'GreetVpnServer', summary: 'Greet a VPN server' });
  expect(Object.keys(path.post.responses).sort()).toEqual(['200', '400', '401', '403', '404', '413', '415', '429', '500']);
  expect(document.components.schemas.GreetVpnServerRequestBody.properties.greeting.properties.text).toMatchObject({ type: 'string', maxLength: 20 });
  expect(document.components.schemas.GreetVpnServerResponse.required).toEqual(['greeting', 'request_id']);
});

test('it is reachable from the CLI: a command in kebab case with its options, its request and its output', async () => {
  const commands = commandsOf([...(JSON.parse(renderCliManifest()) as ManifestEntry[]), manifestEntryOf(greetServer)]);
  const command = parseCommand(['greet-vpn-server', '--project', PROJECT, '--server', SERVER, '--text', 'hello'], {}, commands) as Command;
  const body = await readBody(command, () => Promise.reject(new Error('no file is read')));
  expect(new TextDecoder().decode(body)).toBe('{"greeting":{"text":"hello"}}');
  const request = buildRequest(command, CREDENTIAL, body, new Date());
  expect([request.method, new URL(request.url).pathname]).toEqual(['POST', `/v5/${PROJECT}/p2c-vpn-gateways/vpn-servers/${SERVER}/greetings`]);
  const reply = JSON.stringify({ greeting: { text: 'HELLO', server: SERVER }, request_id: 'a'.repeat(32) });
  expect(formatResponse(command, 200, reply)).toEqual({ exitCode: 0, stdout: `greeted ${SERVER}: HELLO (request ${'a'.repeat(32)})` });
  expect(() => parseCommand(['greet-vpn-server', '--project', PROJECT, '--server', SERVER], {}, commands)).toThrow('greet-vpn-server needs --text');
});
