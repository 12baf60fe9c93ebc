/** createVpnServer: one batched read, the pure checks, then (with a token) the reservation, then the
 * conditional write of the server under its gateway's key. Every step is safe to repeat. */
import { block } from '../core/ipv4';
import { findCidrProblems } from './cidr';
import { assertStillAwaited } from '../core/deadline';
import { SERVER_CERTIFICATE_FIELD, certificateFactsOf, checkClientCaCertificates, describeServerCertificate } from './certificates';
import { certificateNotFound, clientTokenReused, gatewayHasServer, gatewayNotActive, gatewayNotFound, invalidRequest } from '../core/errors';
import { CLIENT_TOKEN_RETENTION_SECONDS } from '../core/limits';
import type { CreateSnapshot, UseCasePorts } from './ports';
import type { Gateway, TokenReservation, VpnServerRecord } from './records';
import { requestFingerprint, type CreateVpnServerCommand } from './schemas/create-vpn-server';
import { epochSeconds, toUtcSeconds } from '../core/time';

export interface CreateVpnServerResult {
  id: string;
  /** true when an earlier call with the same X-Client-Token had already created it */
  replayed: boolean;
}


export async function createVpnServer(
  command: CreateVpnServerCommand,
  ports: UseCasePorts,
  signal?: AbortSignal,
): Promise<CreateVpnServerResult> {
  const { projectId, gatewayId, clientToken, server: request } = command;
  const now = ports.now();
  const fingerprint = requestFingerprint(gatewayId, request);
  const snapshot = await ports.store.readForCreate({
    projectId,
    gatewayId,
    certificateId: request.server_certificate.id,
    ...(clientToken ? { clientToken } : {}),
  });

  const liveReservation = snapshot.token && snapshot.token.expires_at > epochSeconds(now) ? snapshot.token : undefined;
  if (liveReservation) {
    if (liveReservation.fingerprint !== fingerprint) throw clientTokenReused();
    if (snapshot.server?.id === liveReservation.server_id) return { id: liveReservation.server_id, replayed: true };
  }

  const record = await checkedServer(command, snapshot, liveReservation?.server_id ?? ports.newId(), ports, now);
  if (clientToken && !liveReservation) {
    assertStillAwaited(signal);
    record.id = await reserveServerId(ports, { projectId, gatewayId, token: clientToken, fingerprint, serverId: record.id }, now);
  }
  assertStillAwaited(signal);
  const inForce = await ports.store.putServerOnce(record);
  if (inForce.id !== record.id) throw gatewayHasServer(gatewayId);
  return { id: record.id, replayed: inForce !== record };
}

function activeGateway(snapshot: CreateSnapshot, gatewayId: string): Gateway {
  const { gateway } = snapshot;
  if (!gateway) throw gatewayNotFound(gatewayId);
  if (gateway.status !== 'ACTIVE') throw gatewayNotActive(gatewayId, gateway.status);
  if (snapshot.server) throw gatewayHasServer(gatewayId);
  return gateway;
}

/** Every rule of CONTRACT.md section 3 in the README's order; the server to write. */
async function checkedServer(
  { projectId, gatewayId, server: request }: CreateVpnServerCommand,
  snapshot: CreateSnapshot,
  serverId: string,
  ports: UseCasePorts,
  now: Date,
): Promise<VpnServerRecord> {
  const gateway = activeGateway(snapshot, gatewayId);
  if (!snapshot.certificate) throw certificateNotFound(SERVER_CERTIFICATE_FIELD, request.server_certificate.id);
  const serverCertificate = describeServerCertificate(snapshot.certificate.id, snapshot.certificate.content, now);
  const clientCas = checkClientCaCertificates(request.client_ca_certificates, now);

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
    client_ca_certificates: clientCas.certificates.map((ca) => ({
      id: ports.newId(),
      name: ca.name,
      content: ca.content,
      fingerprint: ca.fingerprint,
      ...certificateFactsOf(ca),
      created_at: timestamp,
      updated_at: timestamp,
    })),
    ssl_options: request.ssl_options,
    dns_servers: request.dns_servers,
    status: 'ACTIVE',
    created_at: timestamp,
    updated_at: timestamp,
    completed_imports: [],
    version: 1,
  };
}

/** Reserves the token for this request and a pre-assigned server id; the id in force when another call
 * with the same token and request won the race. */
async function reserveServerId(
  ports: UseCasePorts,
  request: { projectId: string; gatewayId: string; token: string; fingerprint: string; serverId: string },
  now: Date,
): Promise<string> {
  const reservation: TokenReservation = {
    project_id: request.projectId,
    token: request.token,
    fingerprint: request.fingerprint,
    server_id: request.serverId,
    p2c_vgw_id: request.gatewayId,
    expires_at: epochSeconds(now) + CLIENT_TOKEN_RETENTION_SECONDS,
  };
  const inForce = await ports.store.reserveToken(reservation, epochSeconds(now));
  if (inForce.fingerprint !== request.fingerprint) throw clientTokenReused();
  return inForce.server_id;
}
