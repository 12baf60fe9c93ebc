/** exportClientConfig (CONTRACT.md section 10.3): the profile of the server's current settings, or a 400
 * saying what is missing when no profile could connect. */
import { profileTrustAnchors } from './certificates/trust-chain';
import { gatewayNotFound, invalidRequest, serverNotFound } from '../core/errors';
import type { UseCasePorts } from './ports';
import { renderClientProfile } from './profile';
import type { ExportClientConfigCommand } from './schemas/export-client-config';

const cannotExport = (serverId: string, reason: string) =>
  invalidRequest([`vpn server ${serverId} has no client profile that could connect: ${reason}`]);

/** `osType` changes nothing: the OpenVPN profile is the same on every platform. */
export async function exportClientConfig(command: ExportClientConfigCommand, ports: UseCasePorts): Promise<{ client_config: string }> {
  const { projectId, serverId } = command;
  const { server, gateway } = await ports.store.readServer({ projectId, serverId, withGateway: true });
  if (!server) throw serverNotFound(serverId);
  if (!gateway) throw gatewayNotFound(server.p2c_vgw_id);
  if (!gateway.eip) throw cannotExport(serverId, `its p2c vpn gateway ${gateway.id} has no EIP`);
  const certificateId = server.server_certificate.id;
  const certificate = await ports.store.readCertificate(projectId, certificateId);
  if (!certificate) throw cannotExport(serverId, `its server certificate ${certificateId} is no longer in the certificate store`);
  const trustAnchors = profileTrustAnchors(certificate.content, certificate.certificate_chain);
  if (!trustAnchors) {
    throw cannotExport(
      serverId,
      `its server certificate ${certificateId} is not self-signed and the certificate store holds no chain from it to a root CA`,
    );
  }
  return { client_config: renderClientProfile({ server, remoteAddress: gateway.eip.ip_address, trustAnchors }) };
}
