/** The store the functions and the seed use: one table client and a repository per aggregate over it. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ClientTokenStore } from '../core/client-token';
import type { GatewayRepository } from '../p2c-gateways/ports';
import type { VpnServerStore } from '../vpn-servers/ports';
import type { MemberStore } from '../vpn-users/ports';
import { credentialRepository, type CredentialRepository } from './credentials';
import { memberRepository } from './members';
import { gatewayRepository } from './gateways';
import { neighbourRepository, type NeighbourRepository } from './neighbours';
import { serverRepository } from './servers';
import { TableClient } from './table-client';
import { tokenRepository } from './tokens';

export type Store = VpnServerStore & MemberStore & ClientTokenStore & CredentialRepository & NeighbourRepository & GatewayRepository;

export function createStore(client: DynamoDBClient, tableName: string): Store {
  const table = new TableClient(client, tableName);
  const servers = serverRepository(table);
  return {
    ...servers,
    ...memberRepository(table, servers),
    ...tokenRepository(table),
    ...credentialRepository(table),
    ...neighbourRepository(table),
    ...gatewayRepository(table),
  };
}
