/** The only code that knows the table layout (README "Table layout"):
 *
 *   pk                   sk                 item
 *   PROJECT#{project}    GATEWAY#{id}       a P2C VPN gateway (read-only here)
 *   PROJECT#{project}    ROUTES#{vpc}       the VPC's default route table (read-only here)
 *   PROJECT#{project}    CERT#{id}          a certificate of the certificate store (read-only here)
 *   PROJECT#{project}    SERVER#{gateway}   the gateway's VPN server: one per gateway by construction;
 *                                           `version` conditions every read-modify-write
 *   PROJECT#{project}    SERVER_ID#{id}     which gateway holds server {id}: written on the first read by
 *                                           id (found by a consistent query of the project's servers)
 *   PROJECT#{project}    TOKEN#{token}      an X-Client-Token reservation, expires_at in epoch seconds
 *   ACCESSKEY#{ak}       CREDENTIAL         an access key, its secret and its projects
 *
 * Reads are consistent; writes are single-item conditional puts (the pointer is a plain put of a fact
 * that never changes: a server never moves, and there is no delete). */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { throttled } from '../core/errors';
import type { CreateSnapshot, ServerPage, ServerSnapshot, VpnServerStore } from '../vpn-servers/ports';
import type { Gateway, Route, RouteTable, StoredCertificate, VpnServerRecord } from '../vpn-servers/records';
import type { TokenReservation } from '../core/client-token';
import { createDocumentClient } from './client';
import { EXPIRY_ATTRIBUTE } from './table';

export interface Credential {
  access_key: string;
  secret_key: string;
  project_ids: string[];
}

type Key = { pk: string; sk: string };

const projectKey = (projectId: string) => `PROJECT#${projectId}`;
export const keys = {
  gateway: (projectId: string, gatewayId: string): Key => ({ pk: projectKey(projectId), sk: `GATEWAY#${gatewayId}` }),
  routes: (projectId: string, vpcId: string): Key => ({ pk: projectKey(projectId), sk: `ROUTES#${vpcId}` }),
  certificate: (projectId: string, id: string): Key => ({ pk: projectKey(projectId), sk: `CERT#${id}` }),
  server: (projectId: string, gatewayId: string): Key => ({ pk: projectKey(projectId), sk: `SERVER#${gatewayId}` }),
  serverId: (projectId: string, serverId: string): Key => ({ pk: projectKey(projectId), sk: `SERVER_ID#${serverId}` }),
  token: (projectId: string, token: string): Key => ({ pk: projectKey(projectId), sk: `TOKEN#${token}` }),
  credential: (accessKey: string): Key => ({ pk: `ACCESSKEY#${accessKey}`, sk: 'CREDENTIAL' }),
};
const SERVER_PREFIX = 'SERVER#';

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const BATCH_ATTEMPTS = 4;

/** The SDK has already retried; what still fails as throttling or timeout becomes 429 VPN.0429. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (THROTTLING_ERRORS.has(name) || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429) {
      throw throttled();
    }
    throw error;
  }
}

function withoutKey<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as T;
}

const keyId = (key: Key) => `${key.pk}\n${key.sk}`;

/** A stored server; items written before dns_servers, completed imports and versions get their defaults. */
function serverFrom(item: Record<string, unknown> | undefined): VpnServerRecord | undefined {
  const server = withoutKey<Partial<VpnServerRecord>>(item);
  if (!server) return undefined;
  return { ...server, dns_servers: server.dns_servers ?? [], completed_imports: server.completed_imports ?? [], version: server.version ?? 0 } as VpnServerRecord;
}

/** Bounded warm-function memory: starts over when full (a warm function's working set is small). */
function remember(map: Map<string, string>, key: string, value: string, limit: number): void {
  if (map.size >= limit) map.clear();
  map.set(key, value);
}

export class DynamoStore implements VpnServerStore {
  private readonly documents: DynamoDBDocumentClient;
  /** a gateway's VPC never changes, so a warm function reads the route table in the first batch */
  private readonly vpcByGateway = new Map<string, string>();
  /** a server never moves to another gateway, so a warm function resolves an id once */
  private readonly gatewayByServer = new Map<string, string>();
  /** bounds that memory in a long-lived container that meets very many gateways */
  private static readonly MAX_REMEMBERED_GATEWAYS = 10_000;

  constructor(client: DynamoDBClient, private readonly tableName: string) {
    this.documents = createDocumentClient(client);
  }

  /** One BatchGetItem (plus retries of unprocessed keys) of consistent reads. */
  private async batchGet(wanted: readonly Key[]): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    let pending: Key[] = [...new Map(wanted.map((key) => [keyId(key), key])).values()];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > BATCH_ATTEMPTS) throw throttled();
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const output = await guarded(() =>
        this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        ),
      );
      for (const item of output.Responses?.[this.tableName] ?? []) found.set(keyId(item as Key), item);
      pending = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
    }
    return found;
  }

  private async getConsistent<T>(key: Key): Promise<T | undefined> {
    const output = await guarded(() =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return withoutKey<T>(output.Item);
  }

  /** Conditional put; false when the condition failed. */
  private async putIf(key: Key, record: object, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    try {
      await guarded(() =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, ...record },
            ConditionExpression: condition,
            ...(values ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async readForCreate(request: {
    projectId: string;
    gatewayId: string;
    certificateId: string;
    clientToken?: string;
  }): Promise<CreateSnapshot> {
    const { projectId, gatewayId } = request;
    const knownVpc = this.vpcByGateway.get(`${projectId}/${gatewayId}`);
    const wanted = {
      gateway: keys.gateway(projectId, gatewayId),
      server: keys.server(projectId, gatewayId),
      certificate: keys.certificate(projectId, request.certificateId),
      token: request.clientToken ? keys.token(projectId, request.clientToken) : undefined,
      routes: knownVpc ? keys.routes(projectId, knownVpc) : undefined,
    };
    const found = await this.batchGet(Object.values(wanted).filter((key): key is Key => key !== undefined));
    const pick = <T>(key: Key | undefined) => (key ? withoutKey<T>(found.get(keyId(key))) : undefined);
    const gateway = pick<Gateway>(wanted.gateway);
    if (gateway) remember(this.vpcByGateway, `${projectId}/${gatewayId}`, gateway.vpc_id, DynamoStore.MAX_REMEMBERED_GATEWAYS);
    return {
      gateway,
      server: serverFrom(found.get(keyId(wanted.server))),
      certificate: pick<StoredCertificate>(wanted.certificate),
      token: pick<TokenReservation>(wanted.token),
      routes: wanted.routes && gateway?.vpc_id === knownVpc ? (pick<RouteTable>(wanted.routes)?.routes ?? []) : undefined,
    };
  }

  async readRoutes(projectId: string, vpcId: string): Promise<Route[]> {
    return (await this.getConsistent<RouteTable>(keys.routes(projectId, vpcId)))?.routes ?? [];
  }

  async reserveToken(reservation: TokenReservation, nowSeconds: number): Promise<TokenReservation> {
    const key = keys.token(reservation.project_id, reservation.token);
    // an expired reservation is free to take: its expiry is the code's, not the TTL sweeper's
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const written = await this.putIf(key, reservation, `attribute_not_exists(pk) OR ${EXPIRY_ATTRIBUTE} <= :now`, {
        ':now': nowSeconds,
      });
      if (written) return reservation;
      const existing = await this.getConsistent<TokenReservation>(key);
      if (existing) return existing;
    }
    throw throttled();
  }

  async putServerOnce(server: VpnServerRecord): Promise<VpnServerRecord> {
    const key = keys.server(server.project_id, server.p2c_vgw_id);
    if (await this.putIf(key, server, 'attribute_not_exists(pk)')) return server;
    const existing = await this.getConsistent<VpnServerRecord>(key);
    if (!existing) throw throttled();
    return existing;
  }

  async readGatewayWithServer(projectId: string, gatewayId: string): Promise<{ gateway?: Gateway; server?: VpnServerRecord }> {
    const gatewayKey = keys.gateway(projectId, gatewayId);
    const serverKey = keys.server(projectId, gatewayId);
    const found = await this.batchGet([gatewayKey, serverKey]);
    return {
      gateway: withoutKey<Gateway>(found.get(keyId(gatewayKey))),
      server: serverFrom(found.get(keyId(serverKey))),
    };
  }

  async listServers(projectId: string, limit: number, marker?: string): Promise<ServerPage | undefined> {
    let startGateway: string | undefined;
    if (marker !== undefined) {
      startGateway = Buffer.from(marker, 'base64url').toString('utf8');
      if (!/^[0-9a-f-]{36}$/.test(startGateway)) return undefined;
    }
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': projectKey(projectId), ':prefix': SERVER_PREFIX },
      ConsistentRead: true,
    };
    // one more than asked: a full last page then gets no marker that leads to an empty page
    const page = await guarded(() =>
      this.documents.send(
        new QueryCommand({
          ...query,
          Limit: limit + 1,
          ...(startGateway ? { ExclusiveStartKey: keys.server(projectId, startGateway) } : {}),
        }),
      ),
    );
    const items = (page.Items ?? []).map((item) => serverFrom(item) as VpnServerRecord);
    const servers = items.slice(0, limit);
    const last = servers.at(-1);
    const nextMarker =
      (items.length > limit || page.LastEvaluatedKey) && last ? Buffer.from(last.p2c_vgw_id, 'utf8').toString('base64url') : undefined;
    // a first page that holds everything is its own count: no second query
    const totalCount = startGateway || nextMarker ? await this.countServers(query) : servers.length;
    return { servers, totalCount, ...(nextMarker ? { nextMarker } : {}) };
  }

  private async countServers(query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const output = await guarded(() =>
        this.documents.send(
          new QueryCommand({ ...query, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }),
        ),
      );
      count += output.Count ?? 0;
      start = output.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async readServer(request: {
    projectId: string;
    serverId: string;
    withGateway?: boolean;
    certificateId?: string;
    clientToken?: string;
  }): Promise<ServerSnapshot> {
    const { projectId, serverId } = request;
    const gatewayId = await this.gatewayOfServer(projectId, serverId);
    if (!gatewayId) return {};
    const knownVpc = request.withGateway ? this.vpcByGateway.get(`${projectId}/${gatewayId}`) : undefined;
    const wanted = {
      server: keys.server(projectId, gatewayId),
      gateway: request.withGateway ? keys.gateway(projectId, gatewayId) : undefined,
      certificate: request.certificateId ? keys.certificate(projectId, request.certificateId) : undefined,
      token: request.clientToken ? keys.token(projectId, request.clientToken) : undefined,
      routes: knownVpc ? keys.routes(projectId, knownVpc) : undefined,
    };
    const found = await this.batchGet(Object.values(wanted).filter((key): key is Key => key !== undefined));
    const pick = <T>(key: Key | undefined) => (key ? withoutKey<T>(found.get(keyId(key))) : undefined);
    const server = serverFrom(found.get(keyId(wanted.server)));
    if (server?.id !== serverId) return {};
    const gateway = pick<Gateway>(wanted.gateway);
    if (gateway) remember(this.vpcByGateway, `${projectId}/${gatewayId}`, gateway.vpc_id, DynamoStore.MAX_REMEMBERED_GATEWAYS);
    return {
      server,
      gateway,
      certificate: pick<StoredCertificate>(wanted.certificate),
      token: pick<TokenReservation>(wanted.token),
      routes: wanted.routes && gateway?.vpc_id === knownVpc ? (pick<RouteTable>(wanted.routes)?.routes ?? []) : undefined,
    };
  }

  /** The gateway holding server `serverId` of the project: remembered, else its pointer, else a
   * consistent query of the project's servers (a server read by id for the first time), which then
   * writes the pointer. */
  private async gatewayOfServer(projectId: string, serverId: string): Promise<string | undefined> {
    const memoryKey = `${projectId}/${serverId}`;
    const remembered = this.gatewayByServer.get(memoryKey);
    if (remembered) return remembered;
    const pointerKey = keys.serverId(projectId, serverId);
    let gatewayId = (await this.getConsistent<{ p2c_vgw_id: string }>(pointerKey))?.p2c_vgw_id;
    if (!gatewayId) {
      gatewayId = await this.findGatewayOfServer(projectId, serverId);
      if (!gatewayId) return undefined;
      await this.put(pointerKey, { p2c_vgw_id: gatewayId });
    }
    remember(this.gatewayByServer, memoryKey, gatewayId, DynamoStore.MAX_REMEMBERED_GATEWAYS);
    return gatewayId;
  }

  private async findGatewayOfServer(projectId: string, serverId: string): Promise<string | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await guarded(() =>
        this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: 'id = :id',
            ProjectionExpression: 'p2c_vgw_id',
            ExpressionAttributeValues: { ':pk': projectKey(projectId), ':prefix': SERVER_PREFIX, ':id': serverId },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      const match = page.Items?.[0] as { p2c_vgw_id?: string } | undefined;
      if (match?.p2c_vgw_id) return match.p2c_vgw_id;
      start = page.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  async readCertificate(projectId: string, certificateId: string): Promise<StoredCertificate | undefined> {
    return this.getConsistent<StoredCertificate>(keys.certificate(projectId, certificateId));
  }

  async replaceServer(next: VpnServerRecord, readVersion: number): Promise<boolean> {
    const key = keys.server(next.project_id, next.p2c_vgw_id);
    // servers written before versioning have none: version 0
    const condition = readVersion > 0 ? 'version = :read' : 'attribute_exists(pk) AND attribute_not_exists(version)';
    return this.putIf(key, { ...next, version: readVersion + 1 }, condition, readVersion > 0 ? { ':read': readVersion } : undefined);
  }

  async getCredential(accessKey: string): Promise<Credential | undefined> {
    return this.getConsistent<Credential>(keys.credential(accessKey));
  }

  /** Seed upserts: neighbouring services' data, written as it is given. */
  async upsertGateway(gateway: Gateway): Promise<void> {
    await this.put(keys.gateway(gateway.project_id, gateway.id), gateway);
  }

  async upsertRouteTable(table: RouteTable): Promise<void> {
    await this.put(keys.routes(table.project_id, table.vpc_id), table);
  }

  async upsertCertificate(certificate: StoredCertificate): Promise<void> {
    await this.put(keys.certificate(certificate.project_id, certificate.id), certificate);
  }

  async upsertCredential(credential: Credential): Promise<void> {
    await this.put(keys.credential(credential.access_key), credential);
  }

  private async put(key: Key, record: object): Promise<void> {
    await guarded(() => this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...key, ...record } })));
  }
}
