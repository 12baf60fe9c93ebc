/** The CLI as a user installs it: `npm pack`, then the tarball installed without dev dependencies into an
 * empty folder. Its `p2c-vpn` bin prints its help and creates a server against the local stack. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startStack, type Stack } from './support/stack';
import { call } from './support/signed-fetch';
import { writeFileSync } from 'node:fs';
import { GATEWAY, PROJECT, SECOND_GATEWAY } from '../support/requests';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

jest.setTimeout(180_000);

let stack: Stack;
let work: string;
let bin: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'p2c-vpn-cli-'));
  const [packed] = await Promise.all([
    run('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: root }),
    startStack().then((started) => (stack = started)),
  ]);
  const tarball = path.join(work, packed.stdout.trim().split('\n').at(-1)!);
  const installDir = path.join(work, 'installed');
  await run('npm', ['install', '--prefix', installDir, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  bin = path.join(installDir, 'node_modules/.bin/p2c-vpn');
});

afterAll(async () => {
  await stack?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the installed bin prints its help, ending in a newline', async () => {
  const { stdout } = await run(bin, ['--help']);
  expect(stdout).toMatch(/^Usage: /);
  expect(stdout).toContain('create-vpn-server  --project P --gateway G --file body.json');
  expect(stdout.endsWith('\n')).toBe(true);
});

test('the installed bin creates a server with the demo credentials it ships, visible in the list', async () => {
  const file = path.join(root, 'test/fixtures/examples/create-server-password-auth.json');
  const { stdout } = await run(bin, ['create-vpn-server', '--endpoint', stack.baseUrl, '--project', PROJECT, '--gateway', SECOND_GATEWAY, '--file', file], {
    env: { PATH: process.env.PATH },
  });
  const id = /^created vpn server ([0-9a-f-]{36}) \(request [0-9a-f]{32}\)$/.exec(stdout.trim())?.[1];
  expect(id).toBeDefined();
  const listed = await call(stack.baseUrl, 'GET', `/v5/${PROJECT}/p2c-vpn-gateways/${SECOND_GATEWAY}/vpn-servers`);
  expect(listed.json.vpn_servers.map((server: { id: string }) => server.id)).toEqual([id]);
});

test('the installed bin manages a password server\'s users and groups (section 11)', async () => {
  const cli = async (...args: string[]) => (await run(bin, [...args, '--endpoint', stack.baseUrl, '--project', PROJECT], { env: { PATH: process.env.PATH } })).stdout.trim();
  const server = /created vpn server ([0-9a-f-]{36})/.exec(await cli('create-vpn-server', '--gateway', GATEWAY, '--file', path.join(root, 'test/fixtures/examples/create-server-password-auth.json')))![1]!;
  const group = /created user group ([0-9a-f-]{36})/.exec(await cli('create-vpn-user-group', '--server', server, '--name', 'cli-ops', '--description', 'on call'))![1]!;
  const body = path.join(work, 'user.json');
  writeFileSync(body, JSON.stringify({ user: { name: 'cli.user', password: 'Typhoeus123', user_group_id: group } }));
  expect(await cli('create-vpn-user', '--server', server, '--file', body)).toMatch(/^created vpn user [0-9a-f-]{36} \(request [0-9a-f]{32}\)$/);
  const listed = await cli('list-vpn-users', '--server', server);
  expect(listed).toMatch(/cli\.user +cli-ops +disable/);
  expect(listed).toContain('1 of 1 vpn users');
  expect(listed).not.toContain('Typhoeus123');
  // the signed curl form of the same list, run by a shell as a user pastes it
  const curl = await cli('list-vpn-users', '--server', server, '--limit', '1', '--curl');
  const answered = JSON.parse((await run('bash', ['-c', `${curl} --silent --show-error`])).stdout);
  expect(answered).toMatchObject({ users: [{ name: 'cli.user', user_group_name: 'cli-ops' }], total_count: 1 });
});

test('the installed bin exits 1 with the API error on stderr', async () => {
  const failure = await run(bin, ['list-vpn-servers', '--endpoint', stack.baseUrl, '--project', PROJECT, '--ak', 'NOSUCHKEY0000001', '--sk', 'x'.repeat(20)]).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure).toMatchObject({ code: 1 });
  expect((failure as { stderr: string }).stderr).toMatch(/^error APIGW\.0301: /);
});
