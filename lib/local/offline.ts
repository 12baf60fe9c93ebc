/** serverless-offline as a child process group: spawn, readiness, stop. Used by npm start and e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = resolve(__dirname, '../..');

export interface OfflineOptions {
  httpPort: number;
  lambdaPort: number;
  dynamoEndpoint: string;
  tableName: string;
  /** inherit: its log goes to this terminal; capture: kept (the tail) for error messages */
  output: 'inherit' | 'capture';
}

export interface Offline {
  baseUrl: string;
  lambdaEndpoint: string;
  child: ChildProcess;
  /** resolves with the exit code (or the signal's name) when the process has exited */
  exited: Promise<number | string>;
  /** the last 20 KB of its output when captured */
  output(): string;
  /** stops the whole process group (osls, esbuild's service) and removes its build folder */
  stop(): Promise<void>;
}

export function spawnOffline(options: OfflineOptions): Offline {
  // each instance bundles into its own folder (see esbuild.config.js)
  const workFolder = `.esbuild/offline-${options.httpPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.httpPort),
    LAMBDA_PORT: String(options.lambdaPort),
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    TABLE_NAME: options.tableName,
    ESBUILD_WORK_FOLDER: workFolder,
    // nothing local may reach a real AWS account
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  const stdio = options.output === 'inherit' ? 'inherit' : 'pipe';
  const child = spawn(process.execPath, [resolve(root, 'node_modules/.bin/serverless'), 'offline', 'start'], {
    cwd: root,
    env,
    // its own process group, so stop() reaches the children it spawns too
    detached: true,
    stdio: ['ignore', stdio, stdio],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const group = child.pid;
      if (group !== undefined) {
        signalGroup(group, 'SIGTERM');
        // osls halts its servers within a few seconds; then make sure nothing of the group is left
        if (!(await groupGone(group, 10_000))) {
          signalGroup(group, 'SIGKILL');
          await groupGone(group, 5_000);
        }
      }
      await exited;
      await rm(resolve(root, workFolder), { recursive: true, force: true });
    })());

  return {
    baseUrl: `http://localhost:${options.httpPort}`,
    lambdaEndpoint: `http://localhost:${options.lambdaPort}`,
    child,
    exited,
    output: () => output,
    stop,
  };
}

/** Waits until the HTTP port answers (any status); fails if the process exits or time runs out. */
export async function waitForOffline(offline: Offline, timeoutMs: number): Promise<void> {
  let exitedWith: number | string | undefined;
  void offline.exited.then((code) => (exitedWith = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitedWith !== undefined) throw new Error(`serverless-offline exited (${exitedWith}) before it was ready`);
    try {
      await fetch(offline.baseUrl, { signal: AbortSignal.timeout(10_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`serverless-offline not ready after ${timeoutMs} ms`);
      await sleep(250);
    }
  }
}

/** Ports nobody listens on right now (all distinct). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolveServer, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolveServer(server));
      }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((closed) => server.close(closed))));
  return ports;
}

/** Fails with a clear message when something already listens on the port. */
export async function assertPortFree(port: number, name: string): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`${name} ${port} is already in use`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // the group is already gone
  }
}

async function groupGone(group: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-group, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}
