/** The persistence the VPN server use cases need; lib/store/servers.ts implements it on DynamoDB. */
import type { ClientTokenStore, TokenReservation } from '../core/client-token';
import type { Gateway } from '../core/gateway';
import type { Page } from '../core/paging';
import type { Route, StoredCertificate, VpnServerRecord } from './records';

/** What a create or a change of one server needs, read in one batched consistent read
 * (read-your-writes right after a create). */
export interface ServerSnapshot {
  /** a create: the gateway's server, if any; a read by id: undefined when no server of that id is in the project */
  server?: VpnServerRecord;
  /** the server's gateway, when asked for */
  gateway?: Gateway;
  /** the certificate asked for */
  certificate?: StoredCertificate;
  /** the token asked for */
  token?: TokenReservation;
  /** the gateway VPC's routes when the store already knew the VPC; undefined when not read yet */
  routes?: Route[];
}

/** The servers themselves (lib/store/servers.ts). */
export interface ServerRepository {
  /** The gateway, its server slot, the certificate and the token of a create. */
  readForCreate(keys: { projectId: string; gatewayId: string; certificateId: string; clientToken?: string }): Promise<ServerSnapshot>;
  readRoutes(projectId: string, vpcId: string): Promise<Route[]>;
  /** Writes the server unless the gateway has one; returns the server in force on the gateway. */
  putServerOnce(server: VpnServerRecord): Promise<VpnServerRecord>;
  readGatewayWithServer(projectId: string, gatewayId: string): Promise<{ gateway?: Gateway; server?: VpnServerRecord }>;
  /** undefined when the marker does not come from this store */
  listServers(projectId: string, limit: number, marker?: string): Promise<Page<VpnServerRecord> | undefined>;
  /** A server by its id (never another project's), with what its change needs, in one batch once the
   * server's gateway is known. */
  readServer(request: {
    projectId: string;
    serverId: string;
    withGateway?: boolean;
    certificateId?: string;
    clientToken?: string;
  }): Promise<ServerSnapshot>;
  readCertificate(projectId: string, certificateId: string): Promise<StoredCertificate | undefined>;
  /** Writes `next` (version `readVersion` + 1) if the stored server still has `readVersion`; false when
   * another change came first. */
  replaceServer(next: VpnServerRecord, readVersion: number): Promise<boolean>;
}

/** What a server change needs to know of its VPN users (lib/store/members.ts). */
export interface ServerUsers {
  /** The static IPs the server's users hold (section 11.2), which a new client_cidr must keep valid. */
  readUserStaticIps(projectId: string, serverId: string): Promise<{ name: string; address: string }[]>;
}

/** Everything the VPN server use cases read and write. */
export type VpnServerStore = ServerRepository & ServerUsers & ClientTokenStore;

export interface UseCasePorts {
  store: VpnServerStore;
  now: () => Date;
  newId: () => string;
}
