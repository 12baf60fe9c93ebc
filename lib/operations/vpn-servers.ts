/** The VPN server operations (CONTRACT.md sections 3, 4, 10.1 and 10.3). */
import { createVpnServer } from '../vpn-servers/create';
import { exportClientConfig } from '../vpn-servers/export-client-config';
import { listVpnServers } from '../vpn-servers/list';
import { createVpnServerBodySchema, createVpnServerResponseSchema, parseCreateVpnServer } from '../vpn-servers/schemas/create-vpn-server';
import {
  DEFAULT_OS_TYPE,
  OS_TYPES,
  exportClientConfigBodySchema,
  exportClientConfigResponseSchema,
  parseExportClientConfig,
} from '../vpn-servers/schemas/export-client-config';
import { listVpnServersResponseSchema, parseListVpnServers } from '../vpn-servers/schemas/list-vpn-servers';
import { parseUpdateVpnServer, updateVpnServerBodySchema, updateVpnServerResponseSchema } from '../vpn-servers/schemas/update-vpn-server';
import { updateVpnServer } from '../vpn-servers/update';
import { defineOperation, pagedTable } from './operation';

/** Both lists answer the CLI's list-vpn-servers: with --gateway the gateway's, without it the project's. */
const LIST_CLI = {
  section: '4',
  aliases: ['list-vpn-servers'],
  done: pagedTable('vpn_servers', 'vpn servers', [
    ['ID', 'id'],
    ['GATEWAY', 'p2c_vgw_id'],
    ['CLIENT_CIDR', 'client_cidr'],
    ['LOCAL_SUBNETS', 'local_subnets'],
    ['AUTH', 'client_auth_type'],
    ['STATUS', 'status'],
  ]),
} as const;

const GATEWAY_SERVERS = '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers';
const SERVER = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}';

export const vpnServerOperations = [
  defineOperation({
    name: 'CreateVpnServer',
    method: 'POST',
    path: GATEWAY_SERVERS,
    body: 'required',
    bodySchema: createVpnServerBodySchema,
    clientToken: true,
    cli: { section: '3', done: { say: 'created vpn server {vpn_server.id}' } },
    parse: ({ ids, clientToken, clientTokenField, body }) =>
      parseCreateVpnServer({ projectId: ids.project_id, gatewayId: ids.p2c_vgw_id, clientToken, clientTokenField, body }),
    run: (command, ports, signal) => createVpnServer(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { vpn_server: { id } } }),
    docs: {
      tag: 'VpnServer',
      summary: 'Create the VPN server of a P2C VPN gateway',
      example: {
        vpn_server: {
          client_cidr: '172.16.0.0/24',
          local_subnets: ['10.16.0.0/24', '10.16.1.0/24'],
          server_certificate: { id: 'scs1716171403922' },
          ssl_options: { port: 443, encryption_algorithm: 'AES-128-GCM' },
        },
      },
      description:
        'A gateway has at most one VPN server. With X-Client-Token the call is idempotent: the same token with the ' +
        'same request answers 201 with the first call\'s id and writes nothing; with a different request, 409 VPN.0031.',
      success: { status: 201, description: 'Created (or the same request replayed with its X-Client-Token).', body: createVpnServerResponseSchema },
      errors: ['Conflict'],
    },
  }),
  defineOperation({
    name: 'ListVpnServersByVgw',
    method: 'GET',
    path: GATEWAY_SERVERS,
    body: 'none',
    cli: { ...LIST_CLI, note: "with --gateway the gateway's server; without, the project's servers, paged" },
    parse: ({ ids }) => parseListVpnServers({ projectId: ids.project_id, gatewayId: ids.p2c_vgw_id }),
    run: (query, ports) => listVpnServers(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: 'VpnServer',
      summary: 'List the VPN servers of a P2C VPN gateway (zero or one)',
      success: { status: 200, description: 'The gateway\'s VPN servers.', body: listVpnServersResponseSchema, component: 'ListVpnServersResponse' },
    },
  }),
  defineOperation({
    name: 'ListVpnServersByProject',
    method: 'GET',
    path: '/v5/{project_id}/vpn-servers',
    body: 'none',
    query: ['limit', 'marker'],
    cli: LIST_CLI,
    parse: ({ ids, query }) => parseListVpnServers({ projectId: ids.project_id, limit: query.limit, marker: query.marker }),
    run: (query, ports) => listVpnServers(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: 'VpnServer',
      summary: 'List the VPN servers of a project, a page at a time',
      success: {
        status: 200,
        description: 'A page of the project\'s VPN servers; page_info.next_marker is present when more follow.',
        body: listVpnServersResponseSchema,
        component: 'ListVpnServersResponse',
      },
    },
  }),
  defineOperation({
    name: 'UpdateVpnServer',
    method: 'PUT',
    path: SERVER,
    body: 'required',
    bodySchema: updateVpnServerBodySchema,
    cli: { section: '10.1', done: { say: 'updated vpn server {--server}' } },
    parse: ({ ids, body }) => parseUpdateVpnServer({ projectId: ids.project_id, serverId: ids.vpn_server_id, body }),
    run: (command, ports, signal) => updateVpnServer(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
    docs: {
      tag: 'VpnServer',
      summary: 'Update a VPN server',
      example: { vpn_server: { dns_servers: ['10.16.0.2'], ssl_options: { port: 1194 } } },
      description:
        'A partial update: absent or null fields keep their stored value. Changes apply at once; updated_at moves ' +
        'and status stays ACTIVE. Concurrent changes of one server never lose one another.',
      success: { status: 200, description: 'Updated (or nothing to change).', body: updateVpnServerResponseSchema },
    },
  }),
  defineOperation({
    name: 'ExportClientConfig',
    method: 'POST',
    path: `${SERVER}/client-config/export`,
    // older Node SDKs export without a body
    body: 'optional',
    bodySchema: exportClientConfigBodySchema,
    cli: {
      section: '10.3',
      bodyOptions: [{ option: 'os-type', field: 'os_type', value: 'OS', choices: OS_TYPES }],
      done: { text: 'client_config', output: { option: 'output', value: 'FILE', say: 'wrote client profile to {--output}' } },
      note: `OS ${OS_TYPES.join('|')} (default ${DEFAULT_OS_TYPE}); prints the profile or writes it to --output`,
    },
    parse: ({ ids, body }) => parseExportClientConfig({ projectId: ids.project_id, serverId: ids.vpn_server_id, body }),
    run: (command, ports) => exportClientConfig(command, ports),
    reply: (profile) => ({ status: 200, body: profile }),
    docs: {
      tag: 'VpnServer',
      summary: 'Export the OpenVPN client profile of a VPN server',
      example: { os_type: 'Linux' },
      description:
        'The profile always reflects the server\'s current settings. A gateway without an EIP, or a server ' +
        'certificate that is neither self-signed nor stored with its chain, gives no profile that could connect: ' +
        '400 VPN.0001 saying what is missing.',
      success: { status: 200, description: 'The client profile.', body: exportClientConfigResponseSchema },
    },
  }),
];
