/** updateVpnServer (CONTRACT.md section 10.1): merge the given fields into the latest server, re-check
 * the rules of what changed, write on the version read. An update that changes nothing writes nothing. */
import { addressNumber, block } from '../core/ipv4';
import { staticIpProblem } from '../core/static-ip';
import { findCidrProblems } from './cidr';
import { certificateFactsOf } from './certificates/facts';
import { SERVER_CERTIFICATE_FIELD, describeServerCertificate } from './certificates/server-certificate';
import { certificateNotFound, gatewayNotFound, invalidRequest } from '../core/errors';
import type { UseCasePorts } from './ports';
import type { VpnServerRecord } from './records';
import type { UpdateVpnServerCommand, VpnServerChanges } from './schemas/update-vpn-server';
import { changeServer, type ChangeOutcome, type ReadSnapshot } from './server-change';
import { toUtcSeconds } from '../core/time';

type MergedField = 'client_cidr' | 'local_subnets' | 'server_certificate' | 'ssl_options' | 'client_auth_type' | 'dns_servers';

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** The server with `changes` applied (absent fields and ssl_options members keep their value) and
 * which fields now differ from the stored ones. */
export function mergeServerChanges(server: VpnServerRecord, changes: VpnServerChanges): { merged: VpnServerRecord; changed: MergedField[] } {
  const ssl = { ...server.ssl_options, ...changes.ssl_options };
  const merged: VpnServerRecord = {
    ...server,
    client_cidr: changes.client_cidr ?? server.client_cidr,
    local_subnets: changes.local_subnets ?? server.local_subnets,
    client_auth_type: changes.client_auth_type ?? server.client_auth_type,
    dns_servers: changes.dns_servers ?? server.dns_servers,
    ssl_options: ssl,
  };
  const changed: MergedField[] = [];
  if (merged.client_cidr !== server.client_cidr) changed.push('client_cidr');
  if (!sameList(merged.local_subnets, server.local_subnets)) changed.push('local_subnets');
  if (changes.server_certificate_id !== undefined && changes.server_certificate_id !== server.server_certificate.id) changed.push('server_certificate');
  if (
    ssl.protocol !== server.ssl_options.protocol ||
    ssl.port !== server.ssl_options.port ||
    ssl.encryption_algorithm !== server.ssl_options.encryption_algorithm
  ) {
    changed.push('ssl_options');
  }
  if (merged.client_auth_type !== server.client_auth_type) changed.push('client_auth_type');
  if (!sameList(merged.dns_servers, server.dns_servers)) changed.push('dns_servers');
  return { merged, changed };
}

/** The rules of CONTRACT.md section 3 for what changed, in the create's order; the server to write. */
async function checkedUpdate(snapshot: ReadSnapshot, changes: VpnServerChanges, ports: UseCasePorts, now: Date): Promise<ChangeOutcome<void>> {
  const { server } = snapshot;
  const { merged, changed } = mergeServerChanges(server, changes);
  if (changed.length === 0) return { result: undefined };

  if (changed.includes('server_certificate')) {
    const id = changes.server_certificate_id!;
    if (!snapshot.certificate) throw certificateNotFound(SERVER_CERTIFICATE_FIELD, id);
    const facts = describeServerCertificate(id, snapshot.certificate.content, now);
    merged.server_certificate = { id, name: snapshot.certificate.name, ...certificateFactsOf(facts) };
  }

  const problems: string[] = [];
  if (changed.includes('client_auth_type') && merged.client_auth_type === 'LOCAL_PASSWORD' && server.client_ca_certificates.length > 0) {
    problems.push(
      `vpn_server.client_auth_type: cannot be LOCAL_PASSWORD while the server holds ${server.client_ca_certificates.length} ` +
        'client CA certificates; delete them first',
    );
  }
  if (changed.includes('client_cidr') || changed.includes('local_subnets')) {
    const { gateway } = snapshot;
    if (!gateway) throw gatewayNotFound(server.p2c_vgw_id);
    const routes = snapshot.routes ?? (await ports.store.readRoutes(server.project_id, gateway.vpc_id));
    problems.push(
      ...findCidrProblems({
        clientCidr: block(merged.client_cidr),
        localSubnets: merged.local_subnets.map(block),
        routeDestinations: routes.map((route) => route.destination),
        maxConnectionNumber: gateway.max_connection_number,
      }),
    );
  }
  if (changed.includes('client_cidr')) {
    const cidr = block(merged.client_cidr);
    const stranded = (await ports.store.readUserStaticIps(server.project_id, server.id)).filter(({ address }) => staticIpProblem(addressNumber(address), cidr));
    if (stranded.length > 0) {
      problems.push(
        `vpn_server.client_cidr: ${merged.client_cidr} would strand the static_ip of users ` +
          `${stranded.map(({ name, address }) => `${name} (${address})`).join(', ')}; change or disable theirs first`,
      );
    }
  }
  if (problems.length > 0) throw invalidRequest(problems);
  return { next: { ...merged, status: 'ACTIVE', updated_at: toUtcSeconds(now) }, result: undefined };
}

export async function updateVpnServer(command: UpdateVpnServerCommand, ports: UseCasePorts, signal?: AbortSignal): Promise<void> {
  const { projectId, serverId, changes } = command;
  const networkChange = changes.client_cidr !== undefined || changes.local_subnets !== undefined;
  const read = () =>
    ports.store.readServer({
      projectId,
      serverId,
      withGateway: networkChange,
      ...(changes.server_certificate_id !== undefined ? { certificateId: changes.server_certificate_id } : {}),
    });
  await changeServer(ports, read, (snapshot) => checkedUpdate(snapshot, changes, ports, ports.now()), serverId, signal);
}
