/** The OpenVPN client profile of a server (CONTRACT.md section 10.3), as Huawei's export gives it.
 * Pure: server settings, the gateway's public address and the certificates that let the client verify
 * the server in, the profile text out. */
import { AUTHENTICATION_ALGORITHM } from './schemas/fields';
import type { VpnServerRecord } from './records';

export interface ProfileInput {
  server: Pick<VpnServerRecord, 'client_auth_type' | 'ssl_options'>;
  /** the gateway's EIP address */
  remoteAddress: string;
  /** PEM: the server certificate's chain, or the certificate itself when it is self-signed */
  trustAnchors: string;
}

/** OpenVPN 2.6 clients refuse compression by default (allow-compression stub-only): `compress lz4-v2`
 * in the profile makes them accept what a compressing server sends (they send uncompressed). */
export const COMPRESSION_DIRECTIVE = 'compress lz4-v2';

export function renderClientProfile({ server, remoteAddress, trustAnchors }: ProfileInput): string {
  const { ssl_options: ssl } = server;
  const lines = [
    'client',
    'dev tun',
    `proto ${ssl.protocol.toLowerCase()}`,
    `remote ${remoteAddress} ${ssl.port}`,
    'resolv-retry infinite',
    'nobind',
    'persist-key',
    'persist-tun',
    'remote-cert-tls server',
    `data-ciphers ${ssl.encryption_algorithm}`,
    `auth ${AUTHENTICATION_ALGORITHM}`,
    ...(ssl.is_compressed ? [COMPRESSION_DIRECTIVE] : []),
    'verb 3',
    ...(server.client_auth_type === 'LOCAL_PASSWORD'
      ? ['auth-user-pass']
      : [
          '# Client certificate authentication: add your own certificate and key, issued by one of this',
          "# server's client CA certificates, in these blocks (or as cert and key files):",
          '# <cert>',
          '# -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----',
          '# </cert>',
          '# <key>',
          '# -----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----',
          '# </key>',
        ]),
    '<ca>',
    trustAnchors.trim(),
    '</ca>',
    '',
    'reneg-sec 0',
    '# Add a comment character (#) in front of disable-dco when OpenVPN 2.5 or earlier is used.',
    'disable-dco',
  ];
  return `${lines.join('\n')}\n`;
}
