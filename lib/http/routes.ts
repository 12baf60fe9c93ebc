/** The API's three routes. Anything else is 404 APIGW.0101, as API Gateway itself would answer. */
import * as z from 'zod/mini';
import { parseOrThrow, projectIdSchema, uuidSchema } from '../vpn-servers/request';

export type RouteName = 'createVpnServer' | 'listVpnServersByGateway' | 'listVpnServersByProject';

export interface MatchedRoute {
  name: RouteName;
  hasBody: boolean;
  /** path segments as sent (percent-decoded), validated by pathParameters() */
  segments: { project_id: string; p2c_vgw_id?: string };
}

const GATEWAY_SERVERS = /^\/v5\/([^/]+)\/p2c-vpn-gateways\/([^/]+)\/vpn-servers$/;
const PROJECT_SERVERS = /^\/v5\/([^/]+)\/vpn-servers$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  const gatewayMatch = GATEWAY_SERVERS.exec(path);
  if (gatewayMatch && (method === 'POST' || method === 'GET')) {
    const [projectId, gatewayId] = [decodeSegment(gatewayMatch[1] ?? ''), decodeSegment(gatewayMatch[2] ?? '')];
    if (projectId === undefined || gatewayId === undefined) return undefined;
    return {
      name: method === 'POST' ? 'createVpnServer' : 'listVpnServersByGateway',
      hasBody: method === 'POST',
      segments: { project_id: projectId, p2c_vgw_id: gatewayId },
    };
  }
  const projectMatch = PROJECT_SERVERS.exec(path);
  if (projectMatch && method === 'GET') {
    const projectId = decodeSegment(projectMatch[1] ?? '');
    if (projectId === undefined) return undefined;
    return { name: 'listVpnServersByProject', hasBody: false, segments: { project_id: projectId } };
  }
  return undefined;
}

const pathSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: z.optional(uuidSchema) });

/** 400 VPN.0001 naming the bad segment; gateway ids are compared in lower case. */
export function pathParameters(route: MatchedRoute): { projectId: string; gatewayId?: string } {
  const params = parseOrThrow(pathSchema, route.segments);
  return {
    projectId: params.project_id,
    ...(params.p2c_vgw_id !== undefined ? { gatewayId: params.p2c_vgw_id.toLowerCase() } : {}),
  };
}
