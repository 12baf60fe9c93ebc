/** Direct reads of the table (no service code in between) and seeds with many gateways. */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Seed } from '../../../lib/store/seed';
import type { TokenReservation } from '../../../lib/core/client-token';
import type { VpnServerRecord } from '../../../lib/vpn-servers/records';
import { demoSeed } from '../../support/local-table';
import { PROJECT } from '../../support/requests';

export interface TableContents {
  servers: VpnServerRecord[];
  tokens: TokenReservation[];
}

/** Every server and token reservation of a project, read straight from the table. */
export async function projectItems(client: DynamoDBClient, tableName: string, projectId = PROJECT): Promise<TableContents> {
  const documents = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}` },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  const bySort = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  return {
    servers: bySort('SERVER#') as unknown as VpnServerRecord[],
    tokens: bySort('TOKEN#') as unknown as TokenReservation[],
  };
}

/** Fields every stored server has: a server record missing any of them is half written. */
const SERVER_FIELDS = [
  'id',
  'project_id',
  'p2c_vgw_id',
  'tunnel_protocol',
  'client_cidr',
  'local_subnets',
  'client_auth_type',
  'server_certificate',
  'client_ca_certificates',
  'ssl_options',
  'dns_servers',
  'status',
  'created_at',
  'updated_at',
  'completed_imports',
  'version',
] as const;

/** Fields every stored client CA has (the API's, plus the content and fingerprint the data plane needs). */
const CLIENT_CA_FIELDS = [
  'id',
  'name',
  'content',
  'fingerprint',
  'issuer',
  'subject',
  'serial_number',
  'expiration_time',
  'signature_algorithm',
  'created_at',
  'updated_at',
] as const;

const SSL_FIELDS = ['protocol', 'port', 'encryption_algorithm', 'is_compressed'] as const;

/** What of a stored server is missing or inconsistent: its fields, its ssl_options, its client CAs (whole,
 * at most 10, ids, names and fingerprints unique, none on a LOCAL_PASSWORD server), its version. */
function serverProblems(server: VpnServerRecord): string[] {
  const problems: string[] = [];
  const record = server as unknown as Record<string, unknown>;
  const missing = SERVER_FIELDS.filter((field) => record[field] === undefined || record[field] === null);
  if (missing.length > 0) problems.push(`server ${server.id} lacks ${missing.join(', ')}`);
  const ssl = (server.ssl_options ?? {}) as unknown as Record<string, unknown>;
  const sslMissing = SSL_FIELDS.filter((field) => ssl[field] === undefined);
  if (server.ssl_options && sslMissing.length > 0) problems.push(`server ${server.id} lacks ssl_options.${sslMissing.join(', ssl_options.')}`);
  if (server.version !== undefined && !(Number.isInteger(server.version) && server.version >= 1)) {
    problems.push(`server ${server.id} has version ${String(server.version)}`);
  }
  if (server.dns_servers !== undefined && (!Array.isArray(server.dns_servers) || server.dns_servers.length > 2)) {
    problems.push(`server ${server.id} has dns_servers ${JSON.stringify(server.dns_servers)}`);
  }
  const cas = Array.isArray(server.client_ca_certificates) ? server.client_ca_certificates : [];
  if (cas.length > 10) problems.push(`server ${server.id} holds ${cas.length} client CAs`);
  if (server.client_auth_type === 'LOCAL_PASSWORD' && cas.length > 0) problems.push(`LOCAL_PASSWORD server ${server.id} holds client CAs`);
  for (const ca of cas) {
    const caRecord = ca as unknown as Record<string, unknown>;
    const caMissing = CLIENT_CA_FIELDS.filter((field) => caRecord[field] === undefined || caRecord[field] === null || caRecord[field] === '');
    if (caMissing.length > 0) problems.push(`server ${server.id} client CA ${ca.id} lacks ${caMissing.join(', ')}`);
  }
  for (const field of ['id', 'name', 'fingerprint'] as const) {
    const values = cas.map((ca) => ca[field]);
    if (new Set(values).size !== values.length) problems.push(`server ${server.id} has two client CAs with one ${field}`);
  }
  const tokens = (Array.isArray(server.completed_imports) ? server.completed_imports : []).map((entry) => entry.token);
  if (new Set(tokens).size !== tokens.length) problems.push(`server ${server.id} records one token's import twice`);
  return problems;
}

/**
 * Orphans and duplicates: a server whose gateway's token reservation names another id, more than one
 * server on a gateway (the key makes that impossible, this proves it), a server missing fields (its own, its
 * ssl_options', its client CAs'), more than 10 or duplicate client CAs, a token's import recorded twice.
 */
export function integrityProblems(contents: TableContents): string[] {
  const problems: string[] = [];
  const perGateway = new Map<string, number>();
  for (const server of contents.servers) {
    perGateway.set(server.p2c_vgw_id, (perGateway.get(server.p2c_vgw_id) ?? 0) + 1);
    problems.push(...serverProblems(server));
  }
  for (const [gateway, count] of perGateway) if (count > 1) problems.push(`gateway ${gateway} has ${count} servers`);
  const ids = contents.servers.map((server) => server.id);
  if (new Set(ids).size !== ids.length) problems.push('two servers share an id');
  return problems;
}

/** A server created under `token` that does not carry the id its reservation names. */
export function tokenMismatch(contents: TableContents, token: string): string | undefined {
  const reservation = contents.tokens.find((item) => item.token === token);
  if (!reservation) return undefined;
  const server = contents.servers.find((item) => item.p2c_vgw_id === reservation.p2c_vgw_id);
  if (server && server.id !== reservation.server_id) {
    // another token's server on the gateway is a 409 for this token, not an orphan, unless no other reservation names it
    const owner = contents.tokens.find((item) => item.server_id === server.id);
    if (!owner) return `server ${server.id} on ${server.p2c_vgw_id} belongs to no reservation (token ${token} names ${reservation.server_id})`;
  }
  return undefined;
}

/** The demo seed plus `count` ACTIVE gateways in the demo project, each in a VPC of its own whose route
 * table holds 10.16.0.0/16 and a default route (the password example fits: 172.16.0.0/24, 10 connections). */
export function seedWithGateways(count: number): { seed: Seed; gateways: string[] } {
  const seed = demoSeed();
  const gateways: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const vpcId = randomUUID();
    gateways.push(id);
    seed.p2c_vpn_gateways = [
      ...(seed.p2c_vpn_gateways ?? []),
      { project_id: PROJECT, id, name: `p2c-vgw-reliability-${i}`, vpc_id: vpcId, status: 'ACTIVE', max_connection_number: 10 },
    ];
    // every other VPC has no route table at all: checked against no routes
    if (i % 2 === 0) {
      seed.vpc_route_tables = [
        ...(seed.vpc_route_tables ?? []),
        {
          project_id: PROJECT,
          vpc_id: vpcId,
          routes: [
            { destination: '10.16.0.0/16', nexthop: 'local' },
            { destination: '0.0.0.0/0', nexthop: randomUUID() },
          ],
        },
      ];
    }
  }
  return { seed, gateways };
}
