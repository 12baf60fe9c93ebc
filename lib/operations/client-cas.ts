/** The client CA certificate operations of a VPN server (CONTRACT.md section 10.2). */
import { checkClientCa, deleteClientCa, importClientCa, renameClientCa, showClientCa } from '../vpn-servers/client-cas';
import {
  clientCaBodySchema,
  parseCheckClientCa,
  parseClientCaTarget,
  parseImportClientCa,
  parseRenameClientCa,
  renameClientCaBodySchema,
} from '../vpn-servers/schemas/client-ca';
import { defineOperation, type OperationRequest } from './operation';

const SERVERS = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers';
const CLIENT_CA = `${SERVERS}/{vpn_server_id}/client-ca-certificates/{client_ca_certificate_id}`;

/** import and check: `{"client_ca_certificate": {"name"?, "content"}}` with the PEM file's text */
const certificateOptions = [
  { option: 'name', field: 'client_ca_certificate.name', value: 'N' },
  { option: 'certificate', field: 'client_ca_certificate.content', value: 'ca.pem', fromFile: true, required: true },
] as const;
const CERTIFICATE_FACTS = ['name', 'issuer', 'subject', 'serial_number', 'expiration_time', 'signature_algorithm'] as const;

const target = ({ ids }: OperationRequest) =>
  parseClientCaTarget({ projectId: ids.project_id, serverId: ids.vpn_server_id, caId: ids.client_ca_certificate_id });

export const clientCaOperations = [
  defineOperation({
    name: 'ImportClientCa',
    method: 'POST',
    path: `${SERVERS}/{vpn_server_id}/client-ca-certificates`,
    body: 'required',
    bodySchema: clientCaBodySchema,
    clientToken: true,
    cli: {
      section: '10.2',
      bodyOptions: certificateOptions,
      done: { say: 'imported client ca {client_ca_certificate.id} into vpn server {--server}' },
    },
    parse: ({ ids, clientToken, clientTokenField, body }) =>
      parseImportClientCa({ projectId: ids.project_id, serverId: ids.vpn_server_id, clientToken, clientTokenField, body }),
    run: (command, ports, signal) => importClientCa(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { client_ca_certificate: { id } } }),
  }),
  defineOperation({
    name: 'CheckClientCaCertificate',
    method: 'POST',
    path: `${SERVERS}/client-ca-certificates/check`,
    body: 'required',
    bodySchema: clientCaBodySchema,
    cli: {
      section: '10.2',
      aliases: ['check-client-ca'],
      bodyOptions: certificateOptions,
      done: { facts: CERTIFICATE_FACTS, say: 'valid as a client ca' },
    },
    parse: ({ ids, body }) => parseCheckClientCa({ projectId: ids.project_id, body }),
    run: ({ certificate }, ports) => checkClientCa(certificate, ports),
    reply: (facts) => ({ status: 200, body: facts }),
  }),
  defineOperation({
    name: 'ShowClientCa',
    method: 'GET',
    path: CLIENT_CA,
    body: 'none',
    cli: {
      section: '10.2',
      done: {
        facts: ['id', ...CERTIFICATE_FACTS, 'created_at', 'updated_at'],
        of: 'client_ca_certificate',
        say: 'client ca of vpn server {--server}',
      },
    },
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
    cli: {
      section: '10.2',
      aliases: ['rename-client-ca'],
      bodyOptions: [{ option: 'name', field: 'client_ca_certificate.name', value: 'N', required: true }],
      done: { say: 'renamed client ca {--ca} to {--name}' },
    },
    parse: ({ ids, body }) =>
      parseRenameClientCa({ projectId: ids.project_id, serverId: ids.vpn_server_id, caId: ids.client_ca_certificate_id, body }),
    run: (command, ports, signal) => renameClientCa(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
  }),
  defineOperation({
    name: 'DeleteClientCa',
    method: 'DELETE',
    path: CLIENT_CA,
    body: 'none',
    cli: { section: '10.2', done: { say: 'deleted client ca {--ca}', noContent: true } },
    parse: target,
    run: (command, ports, signal) => deleteClientCa(command, ports, signal),
    reply: () => ({ status: 204 }),
  }),
];
