/** The certificate facts GET shows, read from a parsed certificate. */
import type { X509Certificate } from 'node:crypto';
import { toUtcSeconds } from '../../core/time';
import type { CertificateFacts } from '../schemas/server';

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

export const signatureAlgorithmOf = (certificate: X509Certificate): string =>
  certificate.signatureAlgorithm ?? certificate.signatureAlgorithmOid;

/** Node prints names one attribute per line, with separators in values escaped. */
const distinguishedName = (name: string): string => name.split('\n').join(', ');

function decimalSerial(hex: string): string {
  const negative = hex.startsWith('-');
  const digits = negative ? hex.slice(1) : hex;
  if (!/^[0-9A-Fa-f]+$/.test(digits)) return hex;
  return `${negative ? '-' : ''}${BigInt(`0x${digits}`).toString()}`;
}

export function analysedCertificateOf(certificate: X509Certificate): AnalysedCertificate {
  return {
    issuer: distinguishedName(certificate.issuer),
    subject: distinguishedName(certificate.subject),
    serial_number: decimalSerial(certificate.serialNumber),
    expiration_time: toUtcSeconds(certificate.validToDate),
    signature_algorithm: signatureAlgorithmOf(certificate),
    fingerprint: certificate.fingerprint256,
  };
}
