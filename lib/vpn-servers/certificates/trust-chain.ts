/** The trust anchors a client profile carries so that OpenVPN verifies the server. */
import { X509Certificate } from 'node:crypto';

const isSelfSigned = (certificate: X509Certificate): boolean =>
  certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey);

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
