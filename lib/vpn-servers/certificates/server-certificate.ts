/** The server certificate a create or update names, read from the certificate store. */
import { certificateRejected } from '../../core/errors';
import { toUtcSeconds } from '../../core/time';
import { analysedCertificateOf, type AnalysedCertificate } from './facts';
import { parsePemOrReject } from './pem';

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
  return analysedCertificateOf(certificate);
}
