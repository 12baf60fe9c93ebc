/** The PEM reader every certificate goes through: exactly one CERTIFICATE block holding exactly one
 * DER-encoded X.509 certificate (CONTRACT.md section 3, VPN.0074 and VPN.0075). */
import { X509Certificate } from 'node:crypto';
import { certificateRejected, type CertificateErrorCode } from '../../core/errors';
import { MAX_CERTIFICATE_BYTES } from '../../core/limits';

/** A certificate check that failed, before it is told where (the caller adds the field's path). */
export class CertificateProblem extends Error {
  constructor(
    readonly code: CertificateErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

const PEM_BEGIN = /-----BEGIN ([^\r\n]*?)-----/g;
const SINGLE_CERTIFICATE_PEM = /^-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Throws a CertificateProblem (VPN.0074 format, VPN.0075 content). */
export function parsePem(content: string): X509Certificate {
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

/** parsePem, its problem thrown as the certificate error that names `where`. */
export function parsePemOrReject(content: string, where: string): X509Certificate {
  try {
    return parsePem(content);
  } catch (error) {
    if (error instanceof CertificateProblem) throw certificateRejected(error.code, `${where}: ${error.message}`);
    throw error;
  }
}
