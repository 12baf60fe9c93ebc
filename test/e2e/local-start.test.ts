/** `npm start` as a user runs it: ready line, clean stop on SIGTERM, refused seed, data kept on disk. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertPortFree, freePorts } from '../../lib/local/offline';
import { gatewayServersPath } from '../support/paths';
import { GATEWAY, PROJECT, passwordAuthExample } from '../support/requests';
import { call } from './support/signed-fetch';

const root = resolve(__dirname, '../..');
const demoSeedFile = join(root, 'lib/local/demo-seed.json');
const READY = /p2c-vpn ready: (\S+)/;

interface Run {
  child: ChildProcess;
  ports: { http: number; lambda: number; dynamo: number };
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Run[] = [];
let tempDir: string;

beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'p2c-vpn-start-'));
});

afterEach(async () => {
  // a failed test must not leave its stack running
  for (const run of started.splice(0)) {
    for (const pid of processTree(run.child.pid!)) kill(pid, 'SIGKILL');
    await run.exit;
  }
});

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

async function npmStart(env: Record<string, string>): Promise<Run> {
  const [http, lambda, dynamo] = (await freePorts(3)) as [number, number, number];
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, SEED_FILE: _seed, DATA_DIR: _data, ...inherited } = process.env;
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...inherited, PORT: String(http), LAMBDA_PORT: String(lambda), DYNAMODB_PORT: String(dynamo), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const run = { child, ports: { http, lambda, dynamo }, output: () => output, exit };
  started.push(run);
  return run;
}

/** Resolves with the printed base URL; fails if npm start exits first or takes too long. */
async function ready(run: Run, timeoutMs = 120_000): Promise<string> {
  let exited = false;
  void run.exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = READY.exec(run.output())?.[1];
    if (url) return url;
    if (exited || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${run.output()}`);
    await sleep(100);
  }
}

/** Stops npm start with SIGTERM to npm alone and checks that every process it started is gone. */
async function stopAndCheck(run: Run): Promise<void> {
  const tree = processTree(run.child.pid!);
  // npm, tsx, the start script, serverless-offline (in its own process group) and its esbuild service
  expect(tree.length).toBeGreaterThanOrEqual(4);
  run.child.kill('SIGTERM');
  const { code, signal } = await run.exit;
  // npm re-raises the signal on itself once its script has exited
  expect(code === 0 || signal === 'SIGTERM').toBe(true);
  expect(run.output()).not.toMatch(/exited \(|npm error/);
  for (const pid of tree) await expectGone(pid);
  await assertPortFree(run.ports.http, 'PORT');
  await assertPortFree(run.ports.lambda, 'LAMBDA_PORT');
  await assertPortFree(run.ports.dynamo, 'DYNAMODB_PORT');
}

test('npm start serves on the printed URL and SIGTERM stops everything it started', async () => {
  const run = await npmStart({ DATA_DIR: 'memory' });
  const url = await ready(run);
  expect(url).toBe(`http://localhost:${run.ports.http}`);
  const demo = JSON.parse(readFileSync(demoSeedFile, 'utf8')) as { credentials: { access_key: string; secret_key: string }[] };
  for (const { access_key, secret_key } of demo.credentials) {
    expect(run.output()).toContain(access_key);
    expect(run.output()).toContain(secret_key);
  }

  const response = await fetch(`${url}/v5/no/such/api`);
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error_code: 'APIGW.0101' });

  await stopAndCheck(run);
}, 180_000);

test('an invalid seed file stops npm start before it serves, naming the bad entry', async () => {
  const seed = JSON.parse(readFileSync(demoSeedFile, 'utf8')) as { p2c_vpn_gateways: object[] };
  const bad = seed.p2c_vpn_gateways.length;
  seed.p2c_vpn_gateways.push({ name: 'no id, no project' });
  const seedFile = join(tempDir, 'invalid-seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));

  const run = await npmStart({ DATA_DIR: 'memory', SEED_FILE: seedFile });
  const { code } = await run.exit;
  expect(code).not.toBe(0);
  expect(run.output()).toContain(`p2c_vpn_gateways[${bad}]`);
  expect(run.output()).not.toMatch(READY);
  await assertPortFree(run.ports.http, 'PORT');
  await assertPortFree(run.ports.dynamo, 'DYNAMODB_PORT');
}, 60_000);

test('with DATA_DIR on disk a server created through the API survives a stop and a restart', async () => {
  const dataDir = join(tempDir, 'data');
  const serversPath = gatewayServersPath(PROJECT, GATEWAY);

  const first = await npmStart({ DATA_DIR: dataDir });
  const created = await call(await ready(first), 'POST', serversPath, { body: passwordAuthExample() });
  expect(created.status).toBe(201);
  const before = await call(await ready(first), 'GET', serversPath);
  await stopAndCheck(first);

  // the restart loads the seed again (an upsert of the neighbours' data) and keeps what was written
  const second = await npmStart({ DATA_DIR: dataDir });
  const after = await call(await ready(second), 'GET', serversPath);
  expect(after.status).toBe(200);
  expect(after.json.vpn_servers.map((server: { id: string }) => server.id)).toEqual([created.json.vpn_server.id]);
  expect(after.json.vpn_servers).toEqual(before.json.vpn_servers);
  await stopAndCheck(second);
}, 300_000);

/** pid and all its descendants, from /proc (Linux). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(procStat(Number(entry))?.[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** [state, ppid, ...] of /proc/PID/stat, or undefined once the process is gone. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie: exited, waiting only for a parent (or init) to collect its status. */
async function expectGone(pid: number): Promise<void> {
  for (let i = 0; i < 50 && isRunning(pid); i++) await sleep(100);
  expect({ pid, running: isRunning(pid) }).toEqual({ pid, running: false });
}

function isRunning(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z';
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
