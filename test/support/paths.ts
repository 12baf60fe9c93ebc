/** The request paths of CONTRACT.md as sent on the wire, for every test that calls the API. */

/** POST (create) and GET (list by gateway) */
export const gatewayServersPath = (projectId: string, gatewayId: string): string =>
  `/v5/${projectId}/p2c-vpn-gateways/${gatewayId}/vpn-servers`;
/** GET (list by project) */
export const projectServersPath = (projectId: string): string => `/v5/${projectId}/vpn-servers`;

/** the lifecycle routes of section 10 hang below this collection, without a gateway segment */
const lifecycleServersPath = (projectId: string): string => `/v5/${projectId}/p2c-vpn-gateways/vpn-servers`;

export const serverPath = (projectId: string, serverId: string): string => `${lifecycleServersPath(projectId)}/${serverId}`;
export const exportPath = (projectId: string, serverId: string): string => `${serverPath(projectId, serverId)}/client-config/export`;
export const checkPath = (projectId: string): string => `${lifecycleServersPath(projectId)}/client-ca-certificates/check`;
export const importPath = (projectId: string, serverId: string): string => `${serverPath(projectId, serverId)}/client-ca-certificates`;
export const clientCaPath = (projectId: string, serverId: string, caId: string): string =>
  `${importPath(projectId, serverId)}/${caId}`;
