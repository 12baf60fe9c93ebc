/** The client CA's cryptographic rules: its key (VPN.0070) and its signature's digest (VPN.0071). */
import type { X509Certificate } from 'node:crypto';
import { SHA1, pssHashOid } from './der';
import { CertificateProblem } from './pem';

/** P-256 and P-384 by their OpenSSL names */
const ACCEPTED_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1']);

/** Why the certificate's key is too weak, or undefined when it is RSA >= 2048 bits or EC P-256/P-384. */
export function weakKey(certificate: X509Certificate): string | undefined {
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
export function weakSignatureDigest(certificate: X509Certificate): string | undefined {
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
