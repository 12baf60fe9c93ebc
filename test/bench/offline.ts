/**
 * Throughput and latency through serverless-offline (report only: offline is not Lambda). Runs
 * `npm start` as a user does (dynalite in memory, seed, serverless-offline, in processes of their
 * own, on free ports) and drives a signed GET list-by-project with autocannon at a few concurrency
 * levels, a few seconds each. The signature is valid for 15 minutes, so one signature serves the
 * whole run.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { signRequest } from '../../lib/auth/signing';
import { freePorts } from '../../lib/local/offline';
import { projectServersPath } from '../support/paths';
import { DEMO_CREDENTIAL, PROJECT } from '../support/requests';

export interface OfflineLevel {
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** The part of autocannon's programmatic API used here (it ships no type declarations). */
interface AutocannonRun extends Promise<{ errors: number; timeouts: number }> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout?: number;
}) => AutocannonRun;

/** Seconds of each level's run that are not recorded: the connections are opened and settle. */
const SETTLE_SECONDS = 1;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Stack {
  baseUrl: string;
  stop(): Promise<void>;
}

const READY = /p2c-vpn ready: (\S+)/;

/** `npm start` (the script itself, as npm runs it), stopped with SIGTERM as Ctrl-C stops it. */
async function npmStart(readyTimeoutMs: number): Promise<Stack> {
  const root = resolve(__dirname, '../..');
  const [http, lambda, dynamo] = (await freePorts(3)) as [number, number, number];
  const { DYNAMODB_ENDPOINT: _endpoint, TABLE_NAME: _table, SEED_FILE: _seed, ...inherited } = process.env;
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['lib/local/start.ts'], {
    cwd: root,
    env: { ...inherited, PORT: String(http), LAMBDA_PORT: String(lambda), DYNAMODB_PORT: String(dynamo), DATA_DIR: 'memory' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // read all of it (a full pipe would stall the stack), keep the tail for error messages
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    await exit;
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const url = READY.exec(output)?.[1];
    if (url) return { baseUrl: url, stop };
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not get ready: ${output.slice(-500)}`);
    }
    await sleep(100);
  }
}

/** undefined (with the reason) when the stack cannot be started here */
async function startStackOrReason(): Promise<{ stack?: Stack; reason?: string }> {
  try {
    return { stack: await npmStart(120_000) };
  } catch (error) {
    return { reason: `the stack did not start (${(error as Error).message.split('\n')[0]})` };
  }
}

export async function measureOffline(levels: readonly number[], secondsPerLevel: number): Promise<{ levels?: OfflineLevel[]; reason?: string }> {
  const { stack, reason } = await startStackOrReason();
  if (!stack) return { reason: reason ?? 'unknown' };
  try {
    const autocannon = require('autocannon') as Autocannon;
    const path = projectServersPath(PROJECT);
    const headers = signRequest({ method: 'GET', path, query: {}, headers: {}, body: '' }, DEMO_CREDENTIAL, new Date(), [
      'x-sdk-date',
    ]);
    const url = `${stack.baseUrl}${path}`;
    // warm the function (serverless-offline loads the handler on the first call)
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(url, { headers });
      if (response.status !== 200) return { reason: `GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}` };
    }
    const results: OfflineLevel[] = [];
    for (const connections of levels) {
      // the first bursts at a new concurrency are slower (the stack's first 64 calls at once take
      // about 1 s: new DynamoDB connections, code paths not yet compiled)
      for (let burst = 0; burst < 3; burst += 1) {
        await Promise.all(Array.from({ length: connections }, () => fetch(url, { headers }).then((response) => response.arrayBuffer())));
      }
      // One run per level, recorded from SETTLE_SECONDS on: a call is counted when it was sent
      // after that. While Node's HTTP server is saturated it serves established keep-alive
      // connections before the first request of a new one (a bare Node server does the same), so
      // the first call on each of 64 fresh connections can wait a second or more; the rows report
      // the stack as it holds the concurrency, not that opening.
      const started = performance.now();
      const settled = started + SETTLE_SECONDS * 1000;
      const latencies: number[] = [];
      let non2xx = 0;
      const run = autocannon({ url, connections, duration: SETTLE_SECONDS + secondsPerLevel, headers, timeout: 10 });
      run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
        if (performance.now() - responseTimeMs < settled) return;
        latencies.push(responseTimeMs);
        if (statusCode < 200 || statusCode > 299) non2xx += 1;
      });
      const result = await run;
      latencies.sort((a, b) => a - b);
      results.push({
        connections,
        requestsPerSecond: latencies.length / secondsPerLevel,
        p50Ms: Math.round(percentile(latencies, 50)),
        p99Ms: Math.round(percentile(latencies, 99)),
        requests: latencies.length,
        non2xx,
        errors: result.errors + result.timeouts,
      });
    }
    return { levels: results };
  } catch (error) {
    return { reason: `autocannon failed (${(error as Error).message.split('\n')[0]})` };
  } finally {
    await stack.stop();
  }
}
