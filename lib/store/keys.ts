/** The table layout: every item's key, built here and nowhere else (docs/architecture.md shows it).
 *
 *   pk                   sk                 item
 *   PROJECT#{project}    GATEWAY#{id}       a P2C VPN gateway (read-only here); `loaded_at` when the seed
 *                                           first loaded it
 *   PROJECT#{project}    ROUTES#{vpc}       the VPC's default route table (read-only here)
 *   PROJECT#{project}    CERT#{id}          a certificate of the certificate store (read-only here)
 *   PROJECT#{project}    SERVER#{gateway}   the gateway's VPN server: one per gateway by construction;
 *                                           `version` conditions every read-modify-write
 *   PROJECT#{project}    SERVER_ID#{id}     which gateway holds server {id}: written on the first read by
 *                                           id (found by a consistent query of the project's servers)
 *   PROJECT#{project}    TOKEN#{token}      an X-Client-Token reservation, expires_at in epoch seconds
 *   ACCESSKEY#{ak}       CREDENTIAL         an access key, its secret and its projects
 *
 *   a server's users, groups and policies, one partition per server (lib/vpn-users/records.ts):
 *   MEMBERS#{project}#{server}  ROSTER       names, memberships, static IPs; `version` conditions each change
 *   MEMBERS#{project}#{server}  USER#{id}    a VPN user: description, times, password hashes
 *   MEMBERS#{project}#{server}  GROUP#{id}   a custom user group: description, times
 *   MEMBERS#{project}#{server}  POLICY#{id}  an access policy: description, destinations, times
 */
export interface Key {
  pk: string;
  sk: string;
}

const projectKey = (projectId: string) => `PROJECT#${projectId}`;
const membersKey = (projectId: string, serverId: string) => `MEMBERS#${projectId}#${serverId}`;

export const SERVER_PREFIX = 'SERVER#';
export const GATEWAY_PREFIX = 'GATEWAY#';

export const keys = {
  project: projectKey,
  gateway: (projectId: string, gatewayId: string): Key => ({ pk: projectKey(projectId), sk: `${GATEWAY_PREFIX}${gatewayId}` }),
  routes: (projectId: string, vpcId: string): Key => ({ pk: projectKey(projectId), sk: `ROUTES#${vpcId}` }),
  certificate: (projectId: string, id: string): Key => ({ pk: projectKey(projectId), sk: `CERT#${id}` }),
  server: (projectId: string, gatewayId: string): Key => ({ pk: projectKey(projectId), sk: `${SERVER_PREFIX}${gatewayId}` }),
  serverId: (projectId: string, serverId: string): Key => ({ pk: projectKey(projectId), sk: `SERVER_ID#${serverId}` }),
  token: (projectId: string, token: string): Key => ({ pk: projectKey(projectId), sk: `TOKEN#${token}` }),
  credential: (accessKey: string): Key => ({ pk: `ACCESSKEY#${accessKey}`, sk: 'CREDENTIAL' }),
  roster: (projectId: string, serverId: string): Key => ({ pk: membersKey(projectId, serverId), sk: 'ROSTER' }),
  member: (projectId: string, serverId: string, kind: 'user' | 'group' | 'policy', id: string): Key => ({
    pk: membersKey(projectId, serverId),
    sk: `${kind.toUpperCase()}#${id}`,
  }),
};

/** One string per key, for maps of what a batch read found. */
export const keyId = (key: Key): string => `${key.pk}\n${key.sk}`;
