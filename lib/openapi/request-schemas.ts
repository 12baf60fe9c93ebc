/**
 * What the request schemas check in refinements, which zod's JSON Schema output cannot carry, stated by
 * post-processing the generated JSON; the conformance test (test/unit/openapi.test.ts) guards each
 * statement: on the create body, CERT needs client CAs and LOCAL_PASSWORD takes none (if/then/else); on
 * the update body, the fields that cannot be updated accept only absent or null, and at least one
 * updatable field is given (anyOf); on the client CA rename body, content accepts only absent or null;
 * dns_servers are distinct (uniqueItems). The one rule stated in words only is that dns_servers lie
 * outside the reserved blocks (see describeDnsServers). The descriptions go with them.
 */
import { ADDRESSES_PER_CONNECTION, MAX_CERTIFICATE_BYTES, MAX_CLIENT_CAS, MAX_DNS_SERVERS, MAX_LOCAL_SUBNETS } from '../core/limits';
import { CIDR_FORMAT_RULE, NAME_RULE } from '../core/patterns';
import { RESERVED_FOR_ALL, RESERVED_FOR_CLIENT } from '../vpn-servers/cidr';
import { normaliseVpnServerRequest } from '../vpn-servers/schemas/create-vpn-server';
import { DEFAULT_OS_TYPE } from '../vpn-servers/schemas/export-client-config';
import { FIXED_FIELDS, UPDATABLE_FIELDS } from '../vpn-servers/schemas/update-vpn-server';
import { annotate, nonNull, onlyAbsentOrNull, property, ruleText, type JsonSchema } from './json-schema';

/** The defaults a create applies, as its normalisation applies them to a request that sets none. */
const CREATE_DEFAULTS = normaliseVpnServerRequest({
  client_cidr: '10.0.0.0/8',
  local_subnets: [],
  server_certificate: { id: 'none' },
  ssl_options: {},
});

function describeCidr(json: JsonSchema): void {
  json.description = `IPv4 CIDR: ${CIDR_FORMAT_RULE}. Host bits may be set; the stored value is the network.`;
}

const CLIENT_CIDR_RULES =
  `Client address block. Must not overlap ${RESERVED_FOR_CLIENT.join(', ')}, a ` +
  "local subnet or a route of the gateway VPC's default route table (0.0.0.0/0 excepted), and must hold more than " +
  `${ADDRESSES_PER_CONNECTION} x the gateway max_connection_number addresses.`;
const LOCAL_SUBNETS_RULES =
  `Destination subnets reachable through the VPN: 1..${MAX_LOCAL_SUBNETS} IPv4 CIDRs, not overlapping ` +
  `${RESERVED_FOR_ALL.slice(0, -1).join(', ')} or ${RESERVED_FOR_ALL.at(-1)}, no duplicates after normalisation.`;
const SERVER_CERTIFICATE_RULES = 'A certificate of this project in the certificate store (unknown id: 404 VPN.0004), not expired (400 VPN.0072).';

/**
 * dns_servers, on create and update. "Distinct" is uniqueItems. "Not in a reserved block" is stated in
 * words only: as a pattern it would be a negative lookahead over octet ranges (or a `not` of a second
 * pattern) that readers and SDK generators would have to decode, for a rule the server states in its
 * 400 anyway. The conformance test's generators therefore draw no reserved address (see there).
 */
function describeDnsServers(field: JsonSchema): void {
  nonNull(field, 'dns_servers').uniqueItems = true;
  field.description =
    `DNS servers pushed to the clients: 0..${MAX_DNS_SERVERS} distinct IPv4 addresses in strict dotted decimal ` +
    `(no leading zeros), none in ${RESERVED_FOR_CLIENT.join(', ')} (400 VPN.0001 naming the entry). Absent or null: ` +
    'none on a create, unchanged on an update.';
}

function describeCreateRequest(server: JsonSchema): void {
  describeCidr(property(server, 'client_cidr'));
  describeCidr(property(server, 'local_subnets').items as JsonSchema);
  server.description =
    'A P2C VPN server to create. Types are strict and enum values case-sensitive; an optional field sent as null ' +
    'counts as absent; unknown fields anywhere are rejected.';
  // client_auth_type CERT needs 1..MAX_CLIENT_CAS client CAs; LOCAL_PASSWORD (the default) takes none
  server.if = { properties: { client_auth_type: { const: 'CERT' } }, required: ['client_auth_type'] };
  server.then = {
    required: ['client_ca_certificates'],
    properties: { client_ca_certificates: { type: 'array', minItems: 1, maxItems: MAX_CLIENT_CAS } },
  };
  server.else = { properties: { client_ca_certificates: { anyOf: [{ type: 'null' }, { type: 'array', maxItems: 0 }] } } };
  const ssl = CREATE_DEFAULTS.ssl_options;
  annotate(server, 'tunnel_protocol', 'Tunnel protocol.', CREATE_DEFAULTS.tunnel_protocol);
  annotate(server, 'client_cidr', CLIENT_CIDR_RULES);
  annotate(server, 'local_subnets', LOCAL_SUBNETS_RULES);
  annotate(server, 'client_auth_type', 'Client authentication.', CREATE_DEFAULTS.client_auth_type);
  annotate(server, 'server_certificate', SERVER_CERTIFICATE_RULES);
  annotate(
    server,
    'client_ca_certificates',
    `With client_auth_type CERT: 1..${MAX_CLIENT_CAS} CA certificates; with LOCAL_PASSWORD: absent, null or empty. ` +
      'No duplicate names or certificates.',
  );
  annotate(server, 'ssl_options', 'SSL settings; may be {} (every field has a default).');
  annotate(server, 'ssl_options.protocol', 'Transport protocol.', ssl.protocol);
  annotate(server, 'ssl_options.port', 'Port.', ssl.port);
  annotate(server, 'ssl_options.encryption_algorithm', 'Encryption algorithm.', ssl.encryption_algorithm);
  annotate(server, 'ssl_options.is_compressed', 'Compression.', ssl.is_compressed);
  describeDnsServers(property(server, 'dns_servers'));
}

const CANNOT_BE_UPDATED = 'Cannot be updated: only absent or null is accepted (else 400 VPN.0001 naming the field).';

function describeUpdateRequest(server: JsonSchema): void {
  describeCidr(nonNull(property(server, 'client_cidr'), 'client_cidr'));
  describeCidr(nonNull(property(server, 'local_subnets'), 'local_subnets').items as JsonSchema);
  server.description =
    `The fields to change: at least one of ${UPDATABLE_FIELDS.join(', ')} given and not null. An absent or null ` +
    'field keeps its stored value, inside ssl_options too. Types, enums and unknown fields as on a create. ' +
    `${[...FIXED_FIELDS, 'ssl_options.is_compressed'].join(', ')} cannot be updated. The merged server must satisfy ` +
    'the rules of a create: a changed client_cidr or local_subnets re-checks every CIDR rule (the route table as it ' +
    'reads now); rules on fields the update does not touch are not re-checked. An update that changes nothing ' +
    'answers 200 and writes nothing.';
  for (const field of FIXED_FIELDS) {
    const hint = field === 'client_ca_certificates' ? ' Use the client CA certificate operations.' : '';
    onlyAbsentOrNull(server, field, `${CANNOT_BE_UPDATED}${hint}`);
  }
  onlyAbsentOrNull(nonNull(property(server, 'ssl_options'), 'ssl_options'), 'is_compressed', CANNOT_BE_UPDATED);
  // at least one updatable field, given and not null (the schema's refinement)
  server.anyOf = UPDATABLE_FIELDS.map((field) => {
    property(server, field);
    return { required: [field], properties: { [field]: { not: { type: 'null' } } } };
  });
  annotate(server, 'client_cidr', CLIENT_CIDR_RULES);
  annotate(server, 'local_subnets', LOCAL_SUBNETS_RULES);
  annotate(server, 'server_certificate', SERVER_CERTIFICATE_RULES);
  annotate(server, 'ssl_options', 'SSL settings to change; each absent or null member keeps its stored value.');
  annotate(
    server,
    'client_auth_type',
    'Client authentication. CERT to LOCAL_PASSWORD while the server holds client CAs is 400 VPN.0001 (delete them ' +
      'first); LOCAL_PASSWORD to CERT without client CAs is allowed (import them next).',
  );
  describeDnsServers(property(server, 'dns_servers'));
}

function describeClientCa(clientCa: JsonSchema): void {
  clientCa.description = 'A client CA certificate, as a create, an import or a check takes it.';
  annotate(
    clientCa,
    'name',
    `${ruleText(NAME_RULE)}; unique within a create, and among the server's client CAs on an import. Absent, null ` +
      'or empty: generated (client_ca_ and 6 lowercase letters or digits).',
  );
  annotate(
    clientCa,
    'content',
    `Exactly one PEM CERTIFICATE block of at most ${MAX_CERTIFICATE_BYTES / 1024} KiB: a CA certificate ` +
      '(basicConstraints CA:TRUE), RSA >= 2048 bits or EC P-256/P-384, not MD5/SHA-1 signed, valid now.',
  );
}

function describeRename(body: JsonSchema): void {
  const rename = property(body, 'client_ca_certificate');
  rename.description = 'The new name; the certificate itself never changes.';
  annotate(rename, 'name', `${ruleText(NAME_RULE)}, not the name of another client CA of the server.`);
  onlyAbsentOrNull(rename, 'content', 'Cannot be changed: only absent or null is accepted (else 400 VPN.0001); delete the client CA and import the new one.');
}

function describeExport(body: JsonSchema): void {
  body.description = 'Optional: no body, {} or {"os_type": ...}.';
  annotate(body, 'os_type', 'The client platform (the profile is the same for all); absent or null: the default.', DEFAULT_OS_TYPE);
}

/** How each request component is described, by its name. */
export const REQUEST_DESCRIPTIONS: Readonly<Record<string, (schema: JsonSchema) => void>> = {
  CreateVpnServerRequest: describeCreateRequest,
  UpdateVpnServerRequest: describeUpdateRequest,
  ClientCaCertificateRequest: describeClientCa,
  UpdateClientCaRequestBody: describeRename,
  ExportClientConfigRequestBody: describeExport,
};
