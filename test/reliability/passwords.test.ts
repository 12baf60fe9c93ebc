/** Passwords leave no trace (CONTRACT.md section 11.2): after a run of creates, batch creates, changes,
 * resets and refusals through both functions (HTTP, direct invokes and SQS), a scan of the whole table
 * finds no password in plain text, base64 or hex, two users with one password store different hashes,
 * and no line logged by the run holds a password. */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { apiEvent, callApi, lambdaContext } from '../support/api-events';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { GATEWAY, PROJECT, passwordAuthExample } from '../support/requests';
import { buildHandlers } from './support/api';
import { captureLogs } from './support/log-capture';

jest.setTimeout(120_000);

const logs = captureLogs();
const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const gateway = { ...template, id: randomUUID(), name: 'passwords' };
const PASSWORDS = ['Shared-Pass-01', 'Changed-Pass-02', 'Reset-Pass-03', 'Batch-Pass-04', 'Queued-Pass-05', 'Refused-Pass-06', 'Wrong-Old-Pass7'];

let table: LocalTable;
let handlers: ReturnType<typeof buildHandlers>;

beforeAll(async () => {
  const seed = demoSeed();
  table = await startLocalTable({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, gateway] });
  handlers = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint });
});

afterAll(async () => {
  logs.restore();
  await table?.close();
});

const path = (serverId: string, rest: string) => `/v5/${PROJECT}/p2c-vpn-gateways/vpn-servers/${serverId}/${rest}`;
const http = (method: string, target: string, body?: unknown, clientToken?: string) =>
  callApi(handlers.api, apiEvent({ method, path: target, ...(body !== undefined ? { body } : {}), ...(clientToken ? { clientToken } : {}) }));

test('a run of creates, changes and resets leaves no password in the table or the log', async () => {
  const server = await http('POST', `/v5/${PROJECT}/p2c-vpn-gateways/${gateway.id}/vpn-servers`, passwordAuthExample());
  expect(server.status).toBe(201);
  const serverId: string = server.json?.vpn_server.id;
  const [shared, changed, reset, batch, queued, refused, wrongOld] = PASSWORDS as [string, string, string, string, string, string, string];

  const a = await http('POST', path(serverId, 'users'), { user: { name: 'same.pass.a', password: shared } }, randomUUID());
  const b = await http('POST', path(serverId, 'users'), { user: { name: 'same.pass.b', password: shared } });
  expect([a.status, b.status]).toEqual([201, 201]);
  const [userA, userB] = [a.json?.user.id as string, b.json?.user.id as string];
  expect((await http('PUT', path(serverId, `users/${userA}/password`), { old_password: shared, new_password: changed })).status).toBe(200);
  expect((await http('PUT', path(serverId, `users/${userA}/password`), { old_password: wrongOld, new_password: refused })).status).toBe(400);
  expect((await http('POST', path(serverId, `users/${userA}/reset-password`), { new_password: shared })).status).toBe(400);
  expect((await http('POST', path(serverId, `users/${userB}/reset-password`), { new_password: reset })).status).toBe(200);
  const batched = await http('POST', path(serverId, 'users/batch-create'), { users: [{ name: 'batch.one', password: batch }, { name: 'same.pass.a', password: refused }] });
  expect(batched.json?.invalid_users.map((entry: { name: string }) => entry.name)).toEqual(['same.pass.a']);
  expect((await http('POST', path(serverId, 'users/batch-create'), { users: [{ name: 'batch.one', password: batch }] })).json?.invalid_users).toEqual([]);

  const invoked = await handlers.events({ action: 'ResetVpnUserPassword', project_id: PROJECT, vpn_server_id: serverId, user_id: userB, new_password: refused.slice(0, 4) }, lambdaContext({}));
  expect(invoked.status_code).toBe(400);
  const record = (body: object) => ({ messageId: randomUUID(), body: JSON.stringify(body), eventSource: 'aws:sqs' });
  const sqs = await handlers.events(
    {
      Records: [
        record({ action: 'CreateVpnUser', project_id: PROJECT, vpn_server_id: serverId, user: { name: 'queued.user', password: queued } }),
        record({ action: 'UpdateVpnUserPassword', project_id: PROJECT, vpn_server_id: serverId, user_id: userB, old_password: wrongOld, new_password: queued }),
      ],
    },
    lambdaContext({}),
  );
  expect(sqs).toEqual({ batchItemFailures: [] });

  const documents = DynamoDBDocumentClient.from(table.client);
  const items = (await documents.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
  const stored = JSON.stringify(items);
  const forms = PASSWORDS.flatMap((password) => [password, Buffer.from(password).toString('base64'), Buffer.from(password).toString('hex')]);
  expect(forms.filter((form) => stored.includes(form))).toEqual([]);
  const userItems = items.filter((item) => String(item.sk).startsWith('USER#'));
  expect(userItems.map((item) => item.name).sort()).toEqual(['batch.one', 'queued.user', 'same.pass.a', 'same.pass.b']);
  // the first hash of each: both made from the shared password, with salts of their own
  const firstHash = (id: string) => userItems.find((item) => item.sk === `USER#${id}`)!.passwords.at(-1).hash;
  expect(firstHash(userA)).not.toBe(firstHash(userB));

  expect(logs.lines.length).toBeGreaterThan(10);
  expect(logs.lines.some((line) => line.includes('request refused'))).toBe(true);
  expect(logs.leaks(forms)).toEqual([]);
});
