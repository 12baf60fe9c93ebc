/**
 * Throughput and latency through serverless-offline (report only: offline is not Lambda). Starts the
 * e2e stack (test/e2e/support/stack.ts) and drives a signed GET list-by-project with autocannon at a
 * few concurrency levels, a few seconds each. The signature is valid for 15 minutes, so one
 * signature serves the whole run.
 */
import { signRequest } from '../../lib/auth/signing';
import { startStack, type Stack } from '../e2e/support/stack';
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
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  timeout?: number;
}) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}>;

/** undefined (with the reason) when the stack cannot be started here */
async function startStackOrReason(): Promise<{ stack?: Stack; reason?: string }> {
  try {
    return { stack: await startStack({ readyTimeoutMs: 60_000 }) };
  } catch (error) {
    return { reason: `the stack did not start (${(error as Error).message.split('\n')[0]})` };
  }
}

export async function measureOffline(levels: readonly number[], secondsPerLevel: number): Promise<{ levels?: OfflineLevel[]; reason?: string }> {
  const { stack, reason } = await startStackOrReason();
  if (!stack) return { reason: reason ?? 'unknown' };
  try {
    const autocannon = require('autocannon') as Autocannon;
    const path = `/v5/${PROJECT}/vpn-servers`;
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
      // unrecorded: lets serverless-offline start its instances for this concurrency
      await autocannon({ url, connections, duration: 1, headers, timeout: 10 });
      const result = await autocannon({ url, connections, duration: secondsPerLevel, headers, timeout: 10 });
      results.push({
        connections,
        requestsPerSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        non2xx: result.non2xx,
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
