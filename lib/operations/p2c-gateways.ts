/** The P2C VPN gateway reads (CONTRACT.md section 11): the gateways are the neighbouring service's,
 * loaded by the seed; this service only answers them. */
import { MAX_PAGE_LIMIT } from '../core/limits';
import { listP2cVgws } from '../p2c-gateways/list';
import { listP2cVgwsResponseSchema, parseListP2cVgws, parseShowP2cVgw, showP2cVgwResponseSchema } from '../p2c-gateways/schemas';
import { showP2cVgw } from '../p2c-gateways/show';
import { defineOperation, pagedTable } from './operation';

const GATEWAYS = '/v5/{project_id}/p2c-vpn-gateways';

export const p2cGatewayOperations = [
  defineOperation({
    name: 'ListP2cVgws',
    method: 'GET',
    path: GATEWAYS,
    body: 'none',
    query: ['limit', 'marker'],
    cli: {
      section: '11.1',
      done: pagedTable('p2c_vpn_gateways', 'p2c vpn gateways', [
        ['ID', 'id'],
        ['NAME', 'name'],
        ['STATUS', 'status'],
        ['VPC', 'vpc_id'],
        ['FLAVOR', 'flavor'],
        ['CONNECTIONS', 'current_connection_number'],
        ['MAX', 'max_connection_number'],
      ]),
    },
    parse: ({ ids, query }) => parseListP2cVgws({ projectId: ids.project_id, limit: query.limit, marker: query.marker }),
    run: (query, ports) => listP2cVgws(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: 'P2cVpnGateway',
      summary: 'List the P2C VPN gateways of a project, a page at a time',
      description:
        `In id order. Without limit, up to ${MAX_PAGE_LIMIT} gateways on one page (Terraform's data source reads ` +
        'only the first page); page_info.next_marker is present when more follow, and marker works without limit.',
      success: { status: 200, description: "A page of the project's P2C VPN gateways.", body: listP2cVgwsResponseSchema },
    },
  }),
  defineOperation({
    name: 'ShowP2cVgw',
    method: 'GET',
    path: `${GATEWAYS}/{p2c_vgw_id}`,
    body: 'none',
    cli: {
      section: '11.1',
      done: {
        facts: [
          'id',
          'name',
          'status',
          'vpc_id',
          'connect_subnet',
          'flavor',
          'eip.ip_address',
          'max_connection_number',
          'current_connection_number',
          'enterprise_project_id',
          'created_at',
          'updated_at',
        ],
        of: 'p2c_vpn_gateway',
        say: 'p2c vpn gateway of project {--project}',
      },
    },
    parse: ({ ids }) => parseShowP2cVgw({ projectId: ids.project_id, gatewayId: ids.p2c_vgw_id }),
    run: (query, ports) => showP2cVgw(query, ports),
    reply: (gateway) => ({ status: 200, body: { p2c_vpn_gateway: gateway } }),
    docs: {
      tag: 'P2cVpnGateway',
      summary: 'Show a P2C VPN gateway',
      description: "Another project's gateway is not found (404 VPN.0004), as an unknown one.",
      success: { status: 200, description: 'The P2C VPN gateway.', body: showP2cVgwResponseSchema },
    },
  }),
];
