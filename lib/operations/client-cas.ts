/** The client CA certificate operations of a VPN server (CONTRACT.md section 10.2). */
import { MAX_CLIENT_CAS } from '../core/limits';
import { checkClientCaCertificate, deleteClientCa, importClientCa, showClientCa, updateClientCa } from '../vpn-servers/client-cas';
import {
  checkClientCaCertificateResponseSchema,
  clientCaBodySchema,
  importClientCaResponseSchema,
  parseCheckClientCaCertificate,
  parseClientCaTarget,
  parseImportClientCa,
  parseUpdateClientCa,
  updateClientCaBodySchema,
  updateClientCaResponseSchema,
  showClientCaResponseSchema,
} from '../vpn-servers/schemas/client-ca';
import { defineOperation, type OperationRequest } from './operation';

const SERVERS = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers';
const CLIENT_CA = `${SERVERS}/{vpn_server_id}/client-ca-certificates/{client_ca_certificate_id}`;

/** import and check: `{"client_ca_certificate": {"name"?, "content"}}` with the PEM file's text */
const certificateOptions = [
  { option: 'name', field: 'client_ca_certificate.name', value: 'N' },
  { option: 'certificate', field: 'client_ca_certificate.content', value: 'ca.pem', fromFile: true, required: true },
] as const;
/** the shape of an import's or check's body; a real one carries the PEM of a CA certificate */
const CLIENT_CA_EXAMPLE = {
  client_ca_certificate: { name: 'branch_office_ca', content: '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n' },
};
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
    docs: {
      tag: 'ClientCaCertificate',
      summary: 'Import a client CA certificate into a VPN server',
      example: CLIENT_CA_EXAMPLE,
      description:
        `The server's client_auth_type must be CERT; at most ${MAX_CLIENT_CAS} per server, also under concurrent ` +
        'imports. With X-Client-Token the call is idempotent: the same token with the same request answers 201 with ' +
        'the first call\'s id and imports nothing; with a different request, 409 VPN.0031.',
      success: { status: 201, description: 'Imported (or the same request replayed with its X-Client-Token).', body: importClientCaResponseSchema },
      requestBody: 'ClientCaCertificateRequestBody',
      errors: ['ClientCaImportBadRequest'],
    },
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
    parse: ({ ids, body }) => parseCheckClientCaCertificate({ projectId: ids.project_id, body }),
    run: ({ certificate }, ports) => checkClientCaCertificate(certificate, ports),
    reply: (facts) => ({ status: 200, body: facts }),
    docs: {
      tag: 'ClientCaCertificate',
      summary: 'Check a client CA certificate without a server',
      example: CLIENT_CA_EXAMPLE,
      description: 'Validates and describes the certificate with the checks of an import (VPN.0070..VPN.0076); writes nothing.',
      success: {
        status: 200,
        description: 'The certificate passes every check; its facts, and the name given or generated.',
        body: checkClientCaCertificateResponseSchema,
      },
      requestBody: 'ClientCaCertificateRequestBody',
    },
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
    docs: {
      tag: 'ClientCaCertificate',
      summary: 'Show a client CA certificate of a VPN server',
      success: { status: 200, description: 'The client CA certificate.', body: showClientCaResponseSchema },
    },
  }),
  defineOperation({
    name: 'UpdateClientCa',
    method: 'PUT',
    path: CLIENT_CA,
    body: 'required',
    bodySchema: updateClientCaBodySchema,
    cli: {
      section: '10.2',
      aliases: ['rename-client-ca'],
      bodyOptions: [{ option: 'name', field: 'client_ca_certificate.name', value: 'N', required: true }],
      done: { say: 'renamed client ca {--ca} to {--name}' },
    },
    parse: ({ ids, body }) =>
      parseUpdateClientCa({ projectId: ids.project_id, serverId: ids.vpn_server_id, caId: ids.client_ca_certificate_id, body }),
    run: (command, ports, signal) => updateClientCa(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
    docs: {
      tag: 'ClientCaCertificate',
      summary: 'Rename a client CA certificate',
      example: { client_ca_certificate: { name: 'branch_office_ca' } },
      success: { status: 200, description: 'Renamed (or already so named).', body: updateClientCaResponseSchema },
    },
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
    docs: {
      tag: 'ClientCaCertificate',
      summary: 'Delete a client CA certificate of a VPN server',
      description: 'Deleting the last client CA of a CERT server is allowed.',
      success: { status: 204, description: 'Deleted: no body, only the X-Request-Id header.' },
    },
  }),
];
