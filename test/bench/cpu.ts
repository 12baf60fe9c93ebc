/**
 * The handler's CPU outside I/O for a large create: 20 local subnets, 10 client CAs (the PEMs of
 * fixtures/client-cas.pem: RSA 2048/4096 and EC P-256/P-384) and a route table of 1,000 routes.
 * Timed: JSON.parse of the body + parseCreateVpnServer (zod parse and normalisation), then
 * findCidrProblems, then checkClientCaList - the pure steps of createVpnServer.
 *
 * A warm function parses a route destination and analyses a client CA content once
 * (lib/vpn-servers/memo.ts). With `firstSight` every iteration meets them for the first time: its
 * route destinations are new, and its CA contents are the same certificates with a different
 * run of trailing whitespace (which the checks trim), so no memo answers.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkClientCaList } from '../../lib/vpn-servers/certificates/client-ca';
import { findCidrProblems } from '../../lib/vpn-servers/cidr';
import { parseCidr, type Ipv4Block } from '../../lib/core/ipv4';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { GATEWAY, PROJECT, SERVER_CERTIFICATE_ID } from '../support/requests';
import { percentile } from './stats';

export interface CpuResult {
  iterations: number;
  total: { p50: number; p99: number };
  parse: { p50: number };
  cidr: { p50: number };
  clientCas: { p50: number };
  /** the floor: JSON.parse of the body and new X509Certificate() of the 10 PEMs, nothing checked */
  floor: { p50: number };
  /** new X509Certificate() of the 10 PEMs alone */
  x509Parse: { p50: number };
  bodyBytes: number;
}

function clientCaPems(): string[] {
  const text = readFileSync(join(__dirname, 'fixtures/client-cas.pem'), 'utf8');
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g)].map((match) => match[0]);
}

/** The create body of iteration `variant` (its CA contents differ by trailing whitespace) and its 1,000 routes:
 * /32 routes in 10.0.0.0/8, none near the client block, new for each variant. */
export function largeCreateBody(variant = 0): { bodyText: string; routes: string[] } {
  const cas = clientCaPems();
  if (cas.length !== 10) throw new Error(`fixtures/client-cas.pem holds ${cas.length} certificates, not 10`);
  const body = {
    vpn_server: {
      tunnel_protocol: 'SSL',
      client_cidr: '172.16.0.0/20',
      local_subnets: Array.from({ length: 20 }, (_, i) => `10.${i}.0.0/16`),
      client_auth_type: 'CERT',
      server_certificate: { id: SERVER_CERTIFICATE_ID },
      client_ca_certificates: cas.map((content, i) => ({ name: `bench_ca_${i}`, content: `${content}${' '.repeat(variant)}` })),
      ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-256-GCM', is_compressed: false },
    },
  };
  const routes = Array.from({ length: 1000 }, (_, i) => {
    const address = 100 * 65_536 + variant * 1000 + i;
    return `10.${address >> 16}.${(address >> 8) & 255}.${address & 255}/32`;
  });
  return { bodyText: JSON.stringify(body), routes };
}

const block = (cidr: string): Ipv4Block => parseCidr(cidr) as Ipv4Block;

export function measureCpu(options: { warmup: number; iterations: number; firstSight: boolean }): CpuResult {
  const warmInput = largeCreateBody();
  const now = new Date();
  const totals: number[] = [];
  const parses: number[] = [];
  const cidrs: number[] = [];
  const cas: number[] = [];
  const x509: number[] = [];
  const floors: number[] = [];
  const pems = clientCaPems();

  for (let i = 0; i < options.warmup + options.iterations; i += 1) {
    const { bodyText, routes } = options.firstSight ? largeCreateBody(i + 1) : warmInput;
    const t0 = performance.now();
    const command = parseCreateVpnServer({
      projectId: PROJECT,
      gatewayId: GATEWAY,
      clientTokenField: 'X-Client-Token',
      body: JSON.parse(bodyText),
    });
    const t1 = performance.now();
    const request = command.server;
    const problems = findCidrProblems({
      clientCidr: block(request.client_cidr),
      localSubnets: request.local_subnets.map(block),
      routeDestinations: routes,
      maxConnectionNumber: 500,
    });
    const t2 = performance.now();
    const checked = checkClientCaList(request.client_ca_certificates, now);
    const t3 = performance.now();
    JSON.parse(bodyText);
    const t4 = performance.now();
    for (const pem of pems) new X509Certificate(pem);
    const t5 = performance.now();
    if (problems.length > 0 || checked.problems.length > 0 || checked.certificates.length !== 10) {
      throw new Error(`the bench body is not a valid create: ${[...problems, ...checked.problems].join('; ')}`);
    }
    if (i >= options.warmup) {
      totals.push(t3 - t0);
      parses.push(t1 - t0);
      cidrs.push(t2 - t1);
      cas.push(t3 - t2);
      x509.push(t5 - t4);
      floors.push(t5 - t3);
    }
  }
  return {
    iterations: options.iterations,
    total: { p50: percentile(totals, 50), p99: percentile(totals, 99) },
    parse: { p50: percentile(parses, 50) },
    cidr: { p50: percentile(cidrs, 50) },
    clientCas: { p50: percentile(cas, 50) },
    floor: { p50: percentile(floors, 50) },
    x509Parse: { p50: percentile(x509, 50) },
    bodyBytes: Buffer.byteLength(warmInput.bodyText),
  };
}
