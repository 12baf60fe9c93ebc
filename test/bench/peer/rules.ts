/**
 * The textbook peer's rules (CONTRACT.md section 3) in their plainest form: a classic zod schema,
 * netmask for the CIDR arithmetic and node:crypto's X509Certificate for the certificates. Written the
 * way the libraries' documentation shows them, on purpose not optimised: nothing is memoised, every
 * route destination is parsed on every call. Bench only: never imported by lib/ or handlers/.
 */
import { X509Certificate, randomBytes } from 'node:crypto';
import { Netmask } from 'netmask';
import { z } from 'zod';

export class PeerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// strict dotted decimal a.b.c.d/n: netmask alone would read 010 as octal and accept dotted masks
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const CIDR_REGEX = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(3[0-2]|[12]?[0-9])$`);

const cidr = z.string().regex(CIDR_REGEX, 'must be an IPv4 CIDR a.b.c.d/n');

const clientCa = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,64}$/, 'must be 1 to 64 letters, digits, underscores or hyphens')
      .nullish(),
    content: z.string().min(1),
  })
  .strict();

const vpnServer = z
  .object({
    tunnel_protocol: z.enum(['SSL']).nullish().transform((value) => value ?? 'SSL'),
    client_cidr: cidr,
    local_subnets: z.array(cidr).min(1).max(20),
    client_auth_type: z
      .enum(['CERT', 'LOCAL_PASSWORD'])
      .nullish()
      .transform((value) => value ?? 'LOCAL_PASSWORD'),
    server_certificate: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict(),
    client_ca_certificates: z
      .array(clientCa)
      .nullish()
      .transform((value) => value ?? []),
    ssl_options: z
      .object({
        protocol: z.enum(['TCP']).nullish().transform((value) => value ?? 'TCP'),
        port: z
          .union([z.literal(443), z.literal(1194)])
          .nullish()
          .transform((value) => value ?? 443),
        encryption_algorithm: z
          .enum(['AES-128-GCM', 'AES-256-GCM'])
          .nullish()
          .transform((value) => value ?? 'AES-128-GCM'),
        is_compressed: z
          .boolean()
          .nullish()
          .transform((value) => value ?? false),
      })
      .strict(),
  })
  .strict()
  .superRefine((server, ctx) => {
    const count = server.client_ca_certificates.length;
    if (server.client_auth_type === 'CERT' && (count < 1 || count > 10)) {
      ctx.addIssue({ code: 'custom', path: ['client_ca_certificates'], message: 'must have 1 to 10 entries with CERT' });
    }
    if (server.client_auth_type === 'LOCAL_PASSWORD' && count > 0) {
      ctx.addIssue({ code: 'custom', path: ['client_ca_certificates'], message: 'must be absent or empty with LOCAL_PASSWORD' });
    }
  });

export const createBodySchema = z.object({ vpn_server: vpnServer }).strict();
export type CreateRequest = z.infer<typeof createBodySchema>['vpn_server'];

export const pathSchema = z.object({
  project_id: z.string().regex(/^[0-9a-f]{32}$/),
  p2c_vgw_id: z.string().uuid(),
});

export const clientTokenSchema = z.string().uuid().optional();

export function invalid(problems: string[]): PeerError {
  return new PeerError(400, 'VPN.0001', `invalid request: ${problems.join('; ')}`);
}

/** zod issues as `vpn_server.local_subnets[3]: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
      .join('');
    return `${path || 'body'}: ${issue.message}`;
  });
}

const RESERVED_FOR_SUBNETS = ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'];
const RESERVED_FOR_CLIENT = [...RESERVED_FOR_SUBNETS, '169.254.0.0/16'];

const overlaps = (a: Netmask, b: Netmask): boolean => a.contains(b) || b.contains(a);

export function cidrProblems(request: CreateRequest, routes: { destination: string }[], maxConnections: number): string[] {
  const problems: string[] = [];
  const client = new Netmask(request.client_cidr);
  for (const reserved of RESERVED_FOR_CLIENT) {
    if (overlaps(client, new Netmask(reserved))) problems.push(`vpn_server.client_cidr overlaps reserved block ${reserved}`);
  }
  if (client.size <= 4 * maxConnections) {
    problems.push(`vpn_server.client_cidr has ${client.size} addresses; it needs more than ${4 * maxConnections}`);
  }
  const seen: string[] = [];
  request.local_subnets.forEach((text, i) => {
    const subnet = new Netmask(text);
    for (const reserved of RESERVED_FOR_SUBNETS) {
      if (overlaps(subnet, new Netmask(reserved))) problems.push(`vpn_server.local_subnets[${i}] overlaps reserved block ${reserved}`);
    }
    if (seen.includes(subnet.toString())) problems.push(`vpn_server.local_subnets[${i}] is a duplicate`);
    seen.push(subnet.toString());
    if (overlaps(client, subnet)) problems.push(`vpn_server.client_cidr overlaps vpn_server.local_subnets[${i}] ${subnet.toString()}`);
  });
  for (const route of routes) {
    if (!CIDR_REGEX.test(route.destination)) continue;
    const destination = new Netmask(route.destination);
    if (destination.bitmask > 0 && overlaps(client, destination)) {
      problems.push(`vpn_server.client_cidr overlaps route table destination ${destination.toString()}`);
    }
  }
  return problems;
}

export const networkOf = (text: string): string => new Netmask(text).toString();

const utc = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface CertificateInfo {
  issuer: string;
  subject: string;
  serial_number: string;
  expiration_time: string;
  signature_algorithm: string;
  fingerprint: string;
}

function infoOf(certificate: X509Certificate): CertificateInfo {
  return {
    issuer: certificate.issuer.split('\n').join(', '),
    subject: certificate.subject.split('\n').join(', '),
    serial_number: BigInt(`0x${certificate.serialNumber}`).toString(),
    expiration_time: utc(certificate.validToDate),
    signature_algorithm: certificate.signatureAlgorithm ?? certificate.signatureAlgorithmOid,
    fingerprint: certificate.fingerprint256,
  };
}

export function checkServerCertificate(content: string, now: Date): CertificateInfo {
  const certificate = new X509Certificate(content);
  if (certificate.validToDate < now) throw new PeerError(400, 'VPN.0072', 'vpn_server.server_certificate.id: the certificate has expired');
  return infoOf(certificate);
}

export interface CheckedCa extends CertificateInfo {
  name: string;
  content: string;
}

function checkClientCa(content: string, path: string, now: Date): CertificateInfo {
  const reject = (code: string, reason: string) => new PeerError(400, code, `${path}: ${reason}`);
  if (Buffer.byteLength(content) > 16 * 1024) throw reject('VPN.0074', 'more than 16 KiB');
  const blocks = content.match(/-----BEGIN [^-]+-----/g) ?? [];
  if (blocks.length !== 1 || blocks[0] !== '-----BEGIN CERTIFICATE-----') throw reject('VPN.0074', 'must be one PEM CERTIFICATE block');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(content);
  } catch {
    throw reject('VPN.0075', 'not an X.509 certificate');
  }
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const strongKey =
    (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) ||
    (key.asymmetricKeyType === 'ec' && ['prime256v1', 'secp384r1'].includes(details.namedCurve ?? ''));
  if (!strongKey) throw reject('VPN.0070', 'keys must be RSA >= 2048 bits or EC P-256/P-384');
  if (/md5|sha1/i.test(certificate.signatureAlgorithm ?? '')) throw reject('VPN.0071', 'MD5 and SHA-1 signatures are not accepted');
  if (certificate.validToDate < now) throw reject('VPN.0072', 'the certificate has expired');
  if (certificate.validFromDate > now) throw reject('VPN.0073', 'the certificate is not valid yet');
  if (!certificate.ca) throw reject('VPN.0076', 'not a CA certificate');
  return infoOf(certificate);
}

export function checkClientCas(request: CreateRequest, now: Date): { cas: CheckedCa[]; problems: string[] } {
  const problems: string[] = [];
  const names = new Set<string>();
  const fingerprints = new Set<string>();
  const cas = request.client_ca_certificates.map((ca, i) => {
    const path = `vpn_server.client_ca_certificates[${i}]`;
    const info = checkClientCa(ca.content, `${path}.content`, now);
    if (fingerprints.has(info.fingerprint)) problems.push(`${path}.content: a duplicate certificate`);
    fingerprints.add(info.fingerprint);
    const name = ca.name || `client_ca_${randomBytes(3).toString('hex')}`;
    if (names.has(name)) problems.push(`${path}.name: a duplicate name`);
    names.add(name);
    return { ...info, name, content: ca.content };
  });
  return { cas, problems };
}
