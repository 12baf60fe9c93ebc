/** createVpnServer: one batched read, the pure checks, then (with a token) the reservation, then the
 * conditional write of the server under its gateway's key. Every step is safe to repeat. */
import { findCidrProblems, parseCidr, type Ipv4Block } from './cidr';
import { checkClientCaCertificates, describeServerCertificate } from './certificates';
import { clientTokenReused, gatewayHasServer, gatewayNotActive, invalidRequest, notFound, throttled } from './errors';
import type { UseCasePorts } from './ports';
import type { CreateVpnServerCommand } from './request';
import { requestFingerprint } from './request';
import type { TokenReservation, VpnServerRecord } from './records';

export const CLIENT_TOKEN_RETENTION_SECONDS = 24 * 60 * 60;

export interface CreateVpnServerResult {
  id: string;
  /** true when an earlier call with the same X-Client-Token had already created it */
  replayed: boolean;
}

const toUtcSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const block = (cidr: string): Ipv4Block => parseCidr(cidr) as Ipv4Block;

/** Once the caller has been answered (`signal` aborted: the function's deadline came), no write is started. */
const assertStillAwaited = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw throttled();
};

export async function createVpnServer(
  command: CreateVpnServerCommand,
  ports: UseCasePorts,
  signal?: AbortSignal,
): Promise<CreateVpnServerResult> {
  const { projectId, gatewayId, clientToken, server: request } = command;
  const now = ports.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const fingerprint = requestFingerprint(gatewayId, request);

  const snapshot = await ports.store.readForCreate({
    projectId,
    gatewayId,
    certificateId: request.server_certificate.id,
    ...(clientToken ? { clientToken } : {}),
  });

  const liveReservation = snapshot.token && snapshot.token.expires_at > nowSeconds ? snapshot.token : undefined;
  if (liveReservation) {
    if (liveReservation.fingerprint !== fingerprint) throw clientTokenReused();
    if (snapshot.server?.id === liveReservation.server_id) return { id: liveReservation.server_id, replayed: true };
  }

  const { gateway } = snapshot;
  if (!gateway) throw notFound(`p2c vpn gateway ${gatewayId}`);
  if (gateway.status !== 'ACTIVE') throw gatewayNotActive(gatewayId, gateway.status);
  if (snapshot.server) throw gatewayHasServer(gatewayId);

  if (!snapshot.certificate) throw notFound(`vpn_server.server_certificate.id: certificate ${request.server_certificate.id}`);
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

  let serverId = liveReservation?.server_id ?? ports.newId();
  if (clientToken && !liveReservation) {
    const reservation: TokenReservation = {
      project_id: projectId,
      token: clientToken,
      fingerprint,
      server_id: serverId,
      p2c_vgw_id: gatewayId,
      expires_at: nowSeconds + CLIENT_TOKEN_RETENTION_SECONDS,
    };
    assertStillAwaited(signal);
    const inForce = await ports.store.reserveToken(reservation, nowSeconds);
    if (inForce.fingerprint !== fingerprint) throw clientTokenReused();
    serverId = inForce.server_id;
  }

  const timestamp = toUtcSeconds(now);
  const record: VpnServerRecord = {
    id: serverId,
    project_id: projectId,
    p2c_vgw_id: gatewayId,
    tunnel_protocol: request.tunnel_protocol,
    client_cidr: request.client_cidr,
    local_subnets: request.local_subnets,
    client_auth_type: request.client_auth_type,
    server_certificate: { id: snapshot.certificate.id, name: snapshot.certificate.name, ...summary(serverCertificate) },
    client_ca_certificates: clientCas.certificates.map((ca) => ({
      id: ports.newId(),
      name: ca.name,
      content: ca.content,
      fingerprint: ca.fingerprint,
      ...summary(ca),
      created_at: timestamp,
      updated_at: timestamp,
    })),
    ssl_options: request.ssl_options,
    status: 'ACTIVE',
    created_at: timestamp,
    updated_at: timestamp,
  };
  assertStillAwaited(signal);
  const inForce = await ports.store.putServerOnce(record);
  if (inForce.id !== serverId) throw gatewayHasServer(gatewayId);
  return { id: serverId, replayed: inForce !== record };
}

function summary(facts: { issuer: string; subject: string; serial_number: string; expiration_time: string; signature_algorithm: string }) {
  return {
    issuer: facts.issuer,
    subject: facts.subject,
    serial_number: facts.serial_number,
    expiration_time: facts.expiration_time,
    signature_algorithm: facts.signature_algorithm,
  };
}
