/** The client CA certificate operations of a VPN server (CONTRACT.md section 10.2). */
import { checkClientCaCertificate, deleteClientCa, importClientCa, showClientCa, updateClientCa } from '../vpn-servers/client-cas';
import {
  clientCaBodySchema,
  parseCheckClientCaCertificate,
  parseClientCaTarget,
  parseImportClientCa,
  parseUpdateClientCa,
  renameClientCaBodySchema,
} from '../vpn-servers/schemas/client-ca';
import { defineOperation, type OperationRequest } from './operation';

const SERVERS = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers';
const CLIENT_CA = `${SERVERS}/{vpn_server_id}/client-ca-certificates/{client_ca_certificate_id}`;

const target = ({ ids }: OperationRequest) =>
  parseClientCaTarget({ projectId: ids.project_id, serverId: ids.vpn_server_id, caId: ids.client_ca_certificate_id });

export const clientCaOperations = [
  defineOperation({
    name: 'CheckClientCaCertificate',
    method: 'POST',
    path: `${SERVERS}/client-ca-certificates/check`,
    body: 'required',
    bodySchema: clientCaBodySchema,
    parse: ({ ids, body }) => parseCheckClientCaCertificate({ projectId: ids.project_id, body }),
    run: ({ certificate }, ports) => checkClientCaCertificate(certificate, ports),
    reply: (facts) => ({ status: 200, body: facts }),
  }),
  defineOperation({
    name: 'ImportClientCa',
    method: 'POST',
    path: `${SERVERS}/{vpn_server_id}/client-ca-certificates`,
    body: 'required',
    bodySchema: clientCaBodySchema,
    clientToken: true,
    parse: ({ ids, clientToken, clientTokenField, body }) =>
      parseImportClientCa({ projectId: ids.project_id, serverId: ids.vpn_server_id, clientToken, clientTokenField, body }),
    run: (command, ports, signal) => importClientCa(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { client_ca_certificate: { id } } }),
  }),
  defineOperation({
    name: 'ShowClientCa',
    method: 'GET',
    path: CLIENT_CA,
    body: 'none',
    parse: target,
    run: (command, ports) => showClientCa(command, ports),
    reply: (ca) => ({ status: 200, body: { client_ca_certificate: ca } }),
  }),
  defineOperation({
    name: 'UpdateClientCa',
    method: 'PUT',
    path: CLIENT_CA,
    body: 'required',
    bodySchema: renameClientCaBodySchema,
    parse: ({ ids, body }) =>
      parseUpdateClientCa({ projectId: ids.project_id, serverId: ids.vpn_server_id, caId: ids.client_ca_certificate_id, body }),
    run: (command, ports, signal) => updateClientCa(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
  }),
  defineOperation({
    name: 'DeleteClientCa',
    method: 'DELETE',
    path: CLIENT_CA,
    body: 'none',
    parse: target,
    run: (command, ports, signal) => deleteClientCa(command, ports, signal),
    reply: () => ({ status: 204 }),
  }),
];
