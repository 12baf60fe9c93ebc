import type { Gateway, Route, StoredCertificate, VpnServerRecord } from './records';
import type { TokenReservation } from '../core/client-token';

/** Everything a create needs, read in one batched consistent read. */
export interface CreateSnapshot {
  gateway?: Gateway;
  server?: VpnServerRecord;
  token?: TokenReservation;
  certificate?: StoredCertificate;
  /** the gateway VPC's routes when the store already knew the VPC; undefined when not read yet */
  routes?: Route[];
}

/** What a change to one server needs, read consistently (read-your-writes right after its create). */
export interface ServerSnapshot {
  /** undefined: no server of that id in the project */
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

export interface ServerPage {
  servers: VpnServerRecord[];
  totalCount: number;
  nextMarker?: string;
}

/** The persistence the use cases need; lib/store/dynamo-store.ts implements it on DynamoDB. */
export interface VpnServerStore {
  readForCreate(keys: { projectId: string; gatewayId: string; certificateId: string; clientToken?: string }): Promise<CreateSnapshot>;
  readRoutes(projectId: string, vpcId: string): Promise<Route[]>;
  /** Writes the reservation unless a live one holds the token; returns the reservation in force. */
  reserveToken(reservation: TokenReservation, nowSeconds: number): Promise<TokenReservation>;
  /** Writes the server unless the gateway has one; returns the server in force on the gateway. */
  putServerOnce(server: VpnServerRecord): Promise<VpnServerRecord>;
  readGatewayWithServer(projectId: string, gatewayId: string): Promise<{ gateway?: Gateway; server?: VpnServerRecord }>;
  /** undefined when the marker does not come from this store */
  listServers(projectId: string, limit: number, marker?: string): Promise<ServerPage | undefined>;
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

export interface UseCasePorts {
  store: VpnServerStore;
  now: () => Date;
  newId: () => string;
}
