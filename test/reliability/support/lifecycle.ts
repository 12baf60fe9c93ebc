/** For the lifecycle routes of CONTRACT.md section 10 in the reliability files: a delete-aware response check, and client CA certificates generated with openssl for tests that need many. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requestIdHeader, type ApiResponse } from '../../support/api-events';
import { assertHuaweiResponse } from './api';

/** the openssl binary (OPENSSL names another one) */
const OPENSSL = process.env.OPENSSL ?? 'openssl';

/** assertHuaweiResponse, except that a successful DELETE is a 204 with the X-Request-Id header and no body. */
export function assertLifecycleResponse(response: ApiResponse, method: string): void {
  if (method === 'DELETE' && response.status === 204) {
    const requestId = requestIdHeader(response);
    if (!requestId || !/^[0-9a-f]{32}$/.test(requestId)) throw new Error(`204 without a well-formed X-Request-Id: ${JSON.stringify(response.headers)}`);
    if (response.rawBody !== '') throw new Error(`204 with a body: ${response.rawBody.slice(0, 200)}`);
    return;
  }
  assertHuaweiResponse(response);
}

/** `count` distinct self-signed CA certificates (EC P-256, SHA-256, CA:TRUE, valid from now for 10 years)
 * that pass every client CA check. Keys are thrown away. */
export function generateClientCas(count: number, label = 'Reliability'): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'p2c-client-cas-'));
  try {
    return Array.from({ length: count }, (_, i) => {
      const out = path.join(dir, `ca-${i}.pem`);
      execFileSync(
        OPENSSL,
        [
          'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
          '-keyout', path.join(dir, `ca-${i}.key`), '-out', out, '-sha256', '-days', '3650',
          '-subj', `/C=CN/O=P2C VPN Tests/CN=${label} Client CA ${i}`,
          '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return readFileSync(out, 'utf8');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The full base64 lines of PEM bodies: what a log scan looks for (captureLogs' `leaks(extra)`). */
export const pemLines = (pems: readonly string[]): string[] =>
  [...new Set(pems.flatMap((pem) => pem.split(/\r?\n/).filter((line) => /^[A-Za-z0-9+/]{64}$/.test(line))))];
