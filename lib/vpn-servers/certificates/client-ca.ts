/** The client CA rules of CONTRACT.md section 3 (key, digest, validity, CA flag, names, duplicates) and
 * the record a server stores for a checked client CA. Pure: no I/O. Messages describe a certificate but
 * never quote its content. */
import { randomInt, type X509Certificate } from 'node:crypto';
import { certificateRejected, nameTaken, type CertificateErrorCode } from '../../core/errors';
import { memoise } from '../../core/memo';
import { toUtcSeconds } from '../../core/time';
import type { ClientCaRecord } from '../records';
import { analysedCertificateOf, certificateFactsOf, signatureAlgorithmOf, type AnalysedCertificate } from './facts';
import { CertificateProblem, parsePem } from './pem';
import { weakKey, weakSignatureDigest } from './strength';

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
export function checkClientCaList(entries: readonly ClientCaInput[], now: Date): { certificates: CheckedClientCa[]; problems: string[] } {
  const checked = entries.map((entry, index) => {
    const path = `vpn_server.client_ca_certificates[${index}]`;
    return { path, facts: checkClientCaContent(entry.content, `${path}.content`, now) };
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
export function checkOneClientCa(entry: ClientCaInput, path: string, now: Date, usedNames: ReadonlySet<string>): CheckedClientCa {
  const facts = checkClientCaContent(entry.content, `${path}.content`, now);
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

/** What a client CA's content alone decides: the first content-only problem (format, content, key,
 * digest, in the contract's order) or the facts the time and CA checks need. */
type ClientCaAnalysis =
  | { problem: CertificateProblem }
  | { problem?: undefined; facts: AnalysedCertificate; validFrom: Date; validTo: Date; isCa: boolean };

function analyseClientCaContent(content: string): ClientCaAnalysis {
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
  return { facts: analysedCertificateOf(certificate), validFrom: certificate.validFromDate, validTo: certificate.validToDate, isCa: certificate.ca };
}

/** Platform teams reuse one client CA across many servers, and parsing one costs about 0.1 ms: a warm
 * function analyses each content once. The time checks run on every call. */
const analyseClientCaContentOnce = memoise(analyseClientCaContent, 256);

/** Every check of one client CA's content at `now`; throws the first failure's error naming `path`. */
function checkClientCaContent(content: string, path: string, now: Date): AnalysedCertificate {
  const analysis = analyseClientCaContentOnce(content);
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

function generateName(used: ReadonlySet<string>): string {
  for (;;) {
    let name = GENERATED_NAME_PREFIX;
    for (let i = 0; i < GENERATED_NAME_LENGTH; i += 1) {
      name += GENERATED_NAME_ALPHABET.charAt(randomInt(GENERATED_NAME_ALPHABET.length));
    }
    if (!used.has(name)) return name;
  }
}
