/** createVpnServer: one batched read, the pure checks, then (with a token) the reservation, then the
 * conditional write of the server under its gateway's key. Every step is safe to repeat. */
import { reservationFor, reserveClientToken } from '../core/client-token';
import { assertStillAwaited } from '../core/deadline';
import { certificateNotFound, gatewayHasServer, gatewayNotActive, gatewayNotFound, invalidRequest } from '../core/errors';
import { block } from '../core/ipv4';
import { toUtcSeconds } from '../core/time';
import { checkClientCaList, clientCaRecord } from './certificates/client-ca';
import { certificateFactsOf } from './certificates/facts';
import { SERVER_CERTIFICATE_FIELD, describeServerCertificate } from './certificates/server-certificate';
import { findCidrProblems } from './cidr';
import type { ServerSnapshot, UseCasePorts } from './ports';
import type { Gateway } from '../core/gateway';
import type { VpnServerRecord } from './records';
import { createFingerprint, type CreateVpnServerCommand } from './schemas/create-vpn-server';

export async function createVpnServer(command: CreateVpnServerCommand, ports: UseCasePorts, signal?: AbortSignal): Promise<{ id: string }> {
  const { projectId, gatewayId, clientToken, server: request } = command;
  const now = ports.now();
  const fingerprint = createFingerprint(gatewayId, request);
  const snapshot = await ports.store.readForCreate({
    projectId,
    gatewayId,
    certificateId: request.server_certificate.id,
    ...(clientToken ? { clientToken } : {}),
  });

  const reserved = reservationFor(snapshot.token, fingerprint, now);
  if (reserved && snapshot.server?.id === reserved.server_id) return { id: reserved.server_id };

  const record = await checkedServer(command, snapshot, reserved?.server_id ?? ports.newId(), ports, now);
  if (clientToken && !reserved) {
    assertStillAwaited(signal);
    const inForce = await reserveClientToken(ports.store, { project_id: projectId, token: clientToken, fingerprint, server_id: record.id, p2c_vgw_id: gatewayId }, now);
    record.id = inForce.server_id;
  }
  assertStillAwaited(signal);
  const inForce = await ports.store.putServerOnce(record);
  if (inForce.id !== record.id) throw gatewayHasServer(gatewayId);
  return { id: record.id };
}

function activeGateway(snapshot: ServerSnapshot, gatewayId: string): Gateway {
  const { gateway } = snapshot;
  if (!gateway) throw gatewayNotFound(gatewayId);
  if (gateway.status !== 'ACTIVE') throw gatewayNotActive(gatewayId, gateway.status);
  if (snapshot.server) throw gatewayHasServer(gatewayId);
  return gateway;
}

/** Every rule of CONTRACT.md section 3 in the README's order; the server to write. */
async function checkedServer(
  { projectId, gatewayId, server: request }: CreateVpnServerCommand,
  snapshot: ServerSnapshot,
  serverId: string,
  ports: UseCasePorts,
  now: Date,
): Promise<VpnServerRecord> {
  const gateway = activeGateway(snapshot, gatewayId);
  if (!snapshot.certificate) throw certificateNotFound(SERVER_CERTIFICATE_FIELD, request.server_certificate.id);
  const serverCertificate = describeServerCertificate(snapshot.certificate.id, snapshot.certificate.content, now);
  const clientCas = checkClientCaList(request.client_ca_certificates, now);

  const routes = snapshot.routes ?? (await ports.store.readRoutes(projectId, gateway.vpc_id));
  const problems = [
    ...findCidrProblems({
      clientCidr: block(request.client_cidr),
      localSubnets: request.local_subnets.map(block),
      routeDestinations: routes.map((route) => route.destination),
      maxConnectionNumber: gateway.max_connection_number,
    }),
    ...clientCas.problems,
  ];
  if (problems.length > 0) throw invalidRequest(problems);

  const timestamp = toUtcSeconds(now);
  return {
    id: serverId,
    project_id: projectId,
    p2c_vgw_id: gatewayId,
    tunnel_protocol: request.tunnel_protocol,
    client_cidr: request.client_cidr,
    local_subnets: request.local_subnets,
    client_auth_type: request.client_auth_type,
    server_certificate: { id: snapshot.certificate.id, name: snapshot.certificate.name, ...certificateFactsOf(serverCertificate) },
    client_ca_certificates: clientCas.certificates.map((ca) => clientCaRecord(ports.newId(), ca, timestamp)),
    ssl_options: request.ssl_options,
    dns_servers: request.dns_servers,
    status: 'ACTIVE',
    created_at: timestamp,
    updated_at: timestamp,
    completed_imports: [],
    version: 1,
  };
}
