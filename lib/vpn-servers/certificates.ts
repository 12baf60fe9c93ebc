/** X.509 checks of client CAs and the server certificate (CONTRACT.md section 3) and the certificate
 * facts GET shows. Pure: no I/O. Messages describe a certificate but never quote its content. */
import { X509Certificate, randomInt } from 'node:crypto';
import { certificateRejected, nameTaken, type CertificateErrorCode } from '../core/errors';
import { MAX_CERTIFICATE_BYTES } from '../core/limits';
import { memoise } from '../core/memo';
import type { ClientCaRecord } from './records';
import type { CertificateFacts } from './schemas/server';
import { toUtcSeconds } from '../core/time';

/** The facts GET shows, plus the SHA-256 of the DER for duplicate detection (never shown). */
export interface AnalysedCertificate extends CertificateFacts {
  fingerprint: string;
}

/** Only the facts GET shows, whatever else `certificate` carries. */
export const certificateFactsOf = (certificate: CertificateFacts): CertificateFacts => ({
  issuer: certificate.issuer,
  subject: certificate.subject,
  serial_number: certificate.serial_number,
  expiration_time: certificate.expiration_time,
  signature_algorithm: certificate.signature_algorithm,
});

/** A client CA certificate as the validated request carries it; `name` may be '' or absent. */
export interface ClientCaInput {
  name?: string;
  content: string;
}

export interface CheckedClientCa extends AnalysedCertificate {
  /** as given, or generated */
  name: string;
  /** as given */
  content: string;
}

const GENERATED_NAME_PREFIX = 'client_ca_';
const GENERATED_NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const GENERATED_NAME_LENGTH = 6;

/**
 * Runs the client CA checks of the contract in index order and throws the certificate error
 * (VPN.0070..VPN.0076) of the first certificate that fails one. Duplicate names and duplicate
 * certificates are returned as VPN.0001 problems for the caller to merge with its own.
 */
export function checkClientCaCertificates(
  entries: readonly ClientCaInput[],
  now: Date,
): { certificates: CheckedClientCa[]; problems: string[] } {
  const checked = entries.map((entry, index) => {
    const path = `vpn_server.client_ca_certificates[${index}]`;
    return { path, facts: checkClientCa(entry.content, `${path}.content`, now) };
  });

  const problems: string[] = [];
  const firstByName = new Map<string, string>();
  const firstByFingerprint = new Map<string, string>();
  entries.forEach((entry, index) => {
    const { path, facts } = checked[index]!;
    if (entry.name) {
      const first = firstByName.get(entry.name);
      if (first === undefined) firstByName.set(entry.name, path);
      else problems.push(nameTaken(`${path}.name`, entry.name, first));
    }
    const first = firstByFingerprint.get(facts.fingerprint);
    if (first === undefined) firstByFingerprint.set(facts.fingerprint, path);
    else problems.push(`${path}.content: the same certificate as ${first}.content`);
  });

  const usedNames = new Set(firstByName.keys());
  const certificates = entries.map((entry, index): CheckedClientCa => {
    const name = entry.name || generateName(usedNames);
    usedNames.add(name);
    return { ...checked[index]!.facts, name, content: entry.content };
  });
  return { certificates, problems };
}

/** One client CA (import, check): the contract's checks, then its name as given or generated so that it
 * differs from `usedNames`. Throws the certificate error (VPN.0070..VPN.0076) naming `path`. */
export function checkClientCaCertificate(entry: ClientCaInput, path: string, now: Date, usedNames: ReadonlySet<string>): CheckedClientCa {
  const facts = checkClientCa(entry.content, `${path}.content`, now);
  return { ...facts, name: entry.name || generateName(usedNames), content: entry.content };
}

/** A checked client CA as the server stores it (create and import). */
export const clientCaRecord = (id: string, ca: CheckedClientCa, timestamp: string): ClientCaRecord => ({
  id,
  name: ca.name,
  content: ca.content,
  fingerprint: ca.fingerprint,
  ...certificateFactsOf(ca),
  created_at: timestamp,
  updated_at: timestamp,
});

/** Where a create or update names its server certificate. */
export const SERVER_CERTIFICATE_FIELD = 'vpn_server.server_certificate.id';

/** Facts of the server certificate read from the certificate store; VPN.0072 when it has expired. */
export function describeServerCertificate(id: string, content: string, now: Date): AnalysedCertificate {
  const certificate = parsePemOrReject(content, `${SERVER_CERTIFICATE_FIELD}: certificate ${id} in the certificate store`);
  if (certificate.validToDate < now) {
    throw certificateRejected(
      'VPN.0072',
      `${SERVER_CERTIFICATE_FIELD}: certificate ${id} expired at ${toUtcSeconds(certificate.validToDate)}`,
    );
  }
  return factsOf(certificate);
}

/** What a client profile's <ca> holds so that OpenVPN verifies the server: the server certificate itself
 * when it is self-signed, else the stored chain when it leads from the certificate to a self-signed
 * root. undefined when neither holds (the profile could not connect). */
export function profileTrustAnchors(content: string, chain: string | undefined): string | undefined {
  const certificate = new X509Certificate(content);
  if (isSelfSigned(certificate)) return content.trim();
  if (!chain) return undefined;
  const authorities = [...chain.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)].map((match) => new X509Certificate(match[0]));
  let current = certificate;
  for (let depth = 0; depth <= authorities.length; depth += 1) {
    const issuer = authorities.find((authority) => authority !== current && current.checkIssued(authority) && current.verify(authority.publicKey));
    if (!issuer) return undefined;
    if (isSelfSigned(issuer)) return chain.trim();
    current = issuer;
  }
  return undefined;
}

const isSelfSigned = (certificate: X509Certificate): boolean =>
  certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey);

/** What a client CA's content alone decides: the first content-only problem (format, content, key,
 * digest, in the contract's order) or the facts the time and CA checks need. */
type ClientCaAnalysis =
  | { problem: CertificateProblem }
  | { problem?: undefined; facts: AnalysedCertificate; validFrom: Date; validTo: Date; isCa: boolean };

function analyseClientCa(content: string): ClientCaAnalysis {
  let certificate: X509Certificate;
  try {
    certificate = parsePem(content);
    const keyProblem = weakKey(certificate);
    if (keyProblem) return { problem: new CertificateProblem('VPN.0070', keyProblem) };
    const weakDigest = weakSignatureDigest(certificate);
    if (weakDigest) {
      return {
        problem: new CertificateProblem(
          'VPN.0071',
          `the certificate is signed with ${signatureAlgorithmOf(certificate)} (${weakDigest}); ` +
            'MD5- and SHA-1-based signatures are not accepted',
        ),
      };
    }
  } catch (error) {
    if (error instanceof CertificateProblem) return { problem: error };
    throw error;
  }
  return { facts: factsOf(certificate), validFrom: certificate.validFromDate, validTo: certificate.validToDate, isCa: certificate.ca };
}

/** Platform teams reuse one client CA across many servers, and parsing one costs about 0.1 ms: a warm
 * function analyses each content once. The time checks run on every call. */
const analyseClientCaOnce = memoise(analyseClientCa, 256);

function checkClientCa(content: string, path: string, now: Date): AnalysedCertificate {
  const analysis = analyseClientCaOnce(content);
  const reject = (code: CertificateErrorCode, reason: string) => certificateRejected(code, `${path}: ${reason}`);
  if (analysis.problem) throw reject(analysis.problem.code, analysis.problem.message);
  if (analysis.validTo < now) throw reject('VPN.0072', `the certificate expired at ${toUtcSeconds(analysis.validTo)}`);
  if (analysis.validFrom > now) {
    throw reject('VPN.0073', `the certificate is not valid before ${toUtcSeconds(analysis.validFrom)}`);
  }
  if (!analysis.isCa) {
    throw reject('VPN.0076', 'the certificate is not a CA certificate (basicConstraints CA:TRUE is required)');
  }
  return analysis.facts;
}

/** A certificate check that failed, before it is told where (the caller adds the field's path). */
class CertificateProblem extends Error {
  constructor(
    readonly code: CertificateErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

function parsePemOrReject(content: string, where: string): X509Certificate {
  try {
    return parsePem(content);
  } catch (error) {
    if (error instanceof CertificateProblem) throw certificateRejected(error.code, `${where}: ${error.message}`);
    throw error;
  }
}

const PEM_BEGIN = /-----BEGIN ([^\r\n]*?)-----/g;
const SINGLE_CERTIFICATE_PEM = /^-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Throws a CertificateProblem (VPN.0074 format, VPN.0075 content). */
function parsePem(content: string): X509Certificate {
  const format = (reason: string) => new CertificateProblem('VPN.0074', reason);
  const undecodable = (reason: string) => new CertificateProblem('VPN.0075', reason);

  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_CERTIFICATE_BYTES) {
    throw format(`the content is ${bytes} bytes, more than the ${MAX_CERTIFICATE_BYTES} allowed`);
  }
  const trimmed = content.trim();
  const labels = [...trimmed.matchAll(PEM_BEGIN)].map((match) => match[1] ?? '');
  if (labels.length === 0) throw format('no PEM CERTIFICATE block (-----BEGIN CERTIFICATE-----) found');
  if (labels.length > 1) throw format(`${labels.length} PEM blocks found; exactly one CERTIFICATE block is allowed`);
  const label = labels[0]!;
  if (label !== 'CERTIFICATE') {
    // The label is shown only when it looks like one, since it comes from the caller's content.
    throw format(
      /^[A-Z0-9 ]{1,40}$/.test(label)
        ? `the PEM block is a ${label}, not a CERTIFICATE`
        : 'the PEM block is not a CERTIFICATE',
    );
  }
  const body = SINGLE_CERTIFICATE_PEM.exec(trimmed)?.[1];
  if (body === undefined) {
    throw format(
      'must be exactly one block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- with nothing else around it',
    );
  }

  const base64 = body.replace(/\s+/g, '');
  if (base64 === '' || !BASE64.test(base64)) throw undecodable('the PEM block is not valid base64');
  const der = Buffer.from(base64, 'base64');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw undecodable('the PEM block does not decode to an X.509 certificate');
  }
  if (certificate.raw.length !== der.length) {
    throw undecodable('the PEM block does not hold exactly one DER-encoded X.509 certificate');
  }
  return certificate;
}

/** P-256 and P-384 by their OpenSSL names */
const ACCEPTED_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1']);

/** Why the certificate's key is too weak, or undefined when it is RSA >= 2048 bits or EC P-256/P-384. */
function weakKey(certificate: X509Certificate): string | undefined {
  const rule = 'keys must be RSA of at least 2048 bits or EC P-256/P-384';
  let type: string | undefined;
  let details: { modulusLength?: number; namedCurve?: string };
  try {
    const key = certificate.publicKey;
    type = key.asymmetricKeyType;
    details = key.asymmetricKeyDetails ?? {};
  } catch {
    // OpenSSL could parse the certificate but not load its key: an algorithm it does not support.
    return `the key algorithm is not supported; ${rule}`;
  }
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    return bits >= 2048 ? undefined : `the key is RSA ${bits} bits; ${rule}`;
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unnamed curve';
    return ACCEPTED_CURVES.has(curve) ? undefined : `the key is EC ${curve}; ${rule}`;
  }
  return `the key is ${type ?? 'of an unknown type'}; ${rule}`;
}

const SHA1 = '1.3.14.3.2.26';
const WEAK_DIGESTS: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.2': 'MD2',
  '1.2.840.113549.2.4': 'MD4',
  '1.2.840.113549.2.5': 'MD5',
  [SHA1]: 'SHA-1',
};
const WEAK_SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'MD2', // md2WithRSAEncryption
  '1.2.840.113549.1.1.3': 'MD4', // md4WithRSAEncryption
  '1.2.840.113549.1.1.4': 'MD5', // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 'SHA-1', // sha1WithRSAEncryption
  '1.3.14.3.2.3': 'MD5', // md5WithRSA (OIW)
  '1.3.14.3.2.13': 'SHA-0', // dsaWithSHA (OIW)
  '1.3.14.3.2.15': 'SHA-0', // shaWithRSASignature (OIW)
  '1.3.14.3.2.27': 'SHA-1', // dsaWithSHA1 (OIW)
  '1.3.14.3.2.29': 'SHA-1', // sha1WithRSASignature (OIW)
  '1.2.840.10040.4.3': 'SHA-1', // dsa-with-sha1
  '1.2.840.10045.4.1': 'SHA-1', // ecdsa-with-SHA1
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** The weak digest the certificate is signed with (MD2/MD4/MD5/SHA-0/SHA-1), or undefined. */
function weakSignatureDigest(certificate: X509Certificate): string | undefined {
  const oid = certificate.signatureAlgorithmOid;
  if (oid !== RSASSA_PSS) return WEAK_SIGNATURE_ALGORITHMS[oid];
  // RSA-PSS carries its hash in the algorithm's parameters, and an absent hash means SHA-1.
  let hash: string;
  try {
    hash = pssHashOid(certificate.raw);
  } catch {
    throw new CertificateProblem('VPN.0075', 'the certificate is not DER-encoded');
  }
  return WEAK_DIGESTS[hash];
}

interface Tlv {
  tag: number;
  /** content, [start, end) */
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError('truncated DER');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0 is BER's indefinite length, which DER forbids.
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = der[start];
      if (byte === undefined) throw new RangeError('truncated DER');
      length = length * 256 + byte;
      start += 1;
    }
  }
  const end = start + length;
  if (end > limit) throw new RangeError('DER overruns its container');
  return { tag, start, end };
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function decodeOid(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;
const PSS_HASH_ALGORITHM = 0xa0; // [0] EXPLICIT

/** The hash OID of an RSASSA-PSS certificate signature (RFC 4055: absent means SHA-1). */
function pssHashOid(der: Uint8Array): string {
  const certificate = readTlv(der, 0, der.length);
  const [, algorithm] = childrenOf(der, certificate);
  if (algorithm?.tag !== SEQUENCE) throw new RangeError('no signatureAlgorithm');
  const [, params] = childrenOf(der, algorithm);
  if (params?.tag !== SEQUENCE) return SHA1;
  const hashField = childrenOf(der, params).find((field) => field.tag === PSS_HASH_ALGORITHM);
  if (!hashField) return SHA1;
  const [hashAlgorithm] = childrenOf(der, hashField);
  const [oid] = hashAlgorithm?.tag === SEQUENCE ? childrenOf(der, hashAlgorithm) : [];
  if (oid?.tag !== OBJECT_IDENTIFIER) throw new RangeError('no hash algorithm OID');
  return decodeOid(der.subarray(oid.start, oid.end));
}

const signatureAlgorithmOf = (certificate: X509Certificate): string =>
  certificate.signatureAlgorithm ?? certificate.signatureAlgorithmOid;

/** Node prints names one attribute per line, with separators in values escaped. */
const distinguishedName = (name: string): string => name.split('\n').join(', ');

function decimalSerial(hex: string): string {
  const negative = hex.startsWith('-');
  const digits = negative ? hex.slice(1) : hex;
  if (!/^[0-9A-Fa-f]+$/.test(digits)) return hex;
  return `${negative ? '-' : ''}${BigInt(`0x${digits}`).toString()}`;
}

function factsOf(certificate: X509Certificate): AnalysedCertificate {
  return {
    issuer: distinguishedName(certificate.issuer),
    subject: distinguishedName(certificate.subject),
    serial_number: decimalSerial(certificate.serialNumber),
    expiration_time: toUtcSeconds(certificate.validToDate),
    signature_algorithm: signatureAlgorithmOf(certificate),
    fingerprint: certificate.fingerprint256,
  };
}

function generateName(used: ReadonlySet<string>): string {
  for (;;) {
    let name = GENERATED_NAME_PREFIX;
    for (let i = 0; i < GENERATED_NAME_LENGTH; i += 1) {
      name += GENERATED_NAME_ALPHABET.charAt(randomInt(GENERATED_NAME_ALPHABET.length));
    }
    if (!used.has(name)) return name;
  }
}
