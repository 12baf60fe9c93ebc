/** The access policy operations of a password server (CONTRACT.md section 11.4). */
import { MAX_ACCESS_POLICIES_PER_SERVER, MAX_POLICY_CIDRS } from '../core/limits';
import {
  createVpnAccessPolicy,
  deleteVpnAccessPolicy,
  listVpnAccessPolicies,
  showVpnAccessPolicy,
  updateVpnAccessPolicy,
} from '../vpn-users/policies';
import { answers } from '../vpn-users/schemas/answers';
import {
  createVpnAccessPolicyBodySchema,
  parseCreateVpnAccessPolicy,
  parsePolicyTarget,
  parseUpdateVpnAccessPolicy,
  updateVpnAccessPolicyBodySchema,
} from '../vpn-users/schemas/policies';
import { pagedListCli, serverPage } from './lists';
import { defineOperation } from './operation';
import { SERVER } from './vpn-users';

const POLICIES = `${SERVER}/access-policies`;
const POLICY = `${POLICIES}/{policy_id}`;
const TAG = 'VpnAccessPolicy';
const SECTION = '11.4';
const POLICY_FACTS = ['id', 'name', 'user_group_id', 'user_group_name', 'dest_ip_cidrs', 'description', 'created_at', 'updated_at'] as const;
const EXAMPLE = {
  access_policy: { name: 'policy-001', user_group_id: '7625fd92-2e20-4e4d-8c56-66f110fbfaa8', description: '', dest_ip_cidrs: ['172.16.0.0/24', '172.16.1.0/24'] },
};

export const accessPolicyOperations = [
  defineOperation({
    name: 'CreateVpnAccessPolicy',
    method: 'POST',
    path: POLICIES,
    body: 'required',
    bodySchema: createVpnAccessPolicyBodySchema,
    clientToken: true,
    cli: { section: SECTION, done: { say: 'created access policy {access_policy.id}' }, note: 'the body ({"access_policy": {...}}) from --file' },
    parse: (request) => parseCreateVpnAccessPolicy(request),
    run: (command, ports, signal) => createVpnAccessPolicy(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { access_policy: { id } } }),
    docs: {
      tag: TAG,
      summary: 'Create an access policy: the destinations a group may reach',
      example: EXAMPLE,
      description:
        `At most ${MAX_ACCESS_POLICIES_PER_SERVER} policies per server, names unique ignoring case; 1 to ${MAX_POLICY_CIDRS} ` +
        'dest_ip_cidrs, each stored as its network, no two the same network.',
      success: { status: 201, description: 'Created (or the same request replayed with its X-Client-Token).', body: answers.createdPolicy, component: 'CreateVpnAccessPolicyResponse' },
      errors: ['ClientTokenConflict'],
    },
  }),
  defineOperation({
    name: 'ListVpnAccessPolicies',
    method: 'GET',
    path: POLICIES,
    body: 'none',
    query: ['limit', 'marker'],
    cli: pagedListCli(SECTION, 'access_policies', [['ID', 'id'], ['NAME', 'name'], ['GROUP', 'user_group_name'], ['DESTINATIONS', 'dest_ip_cidrs']], 'access policies'),
    parse: serverPage,
    run: (query, ports) => listVpnAccessPolicies(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: TAG,
      summary: 'List the access policies of a server, oldest first',
      success: { status: 200, description: 'A page of the server\'s policies.', body: answers.accessPolicies, component: 'ListVpnAccessPoliciesResponse' },
    },
  }),
  defineOperation({
    name: 'ShowVpnAccessPolicy',
    method: 'GET',
    path: POLICY,
    body: 'none',
    cli: { section: SECTION, done: { facts: POLICY_FACTS, of: 'access_policy', say: 'access policy of vpn server {--server}' } },
    parse: (request) => parsePolicyTarget(request),
    run: (target, ports) => showVpnAccessPolicy(target, ports),
    reply: (policy) => ({ status: 200, body: { access_policy: policy } }),
    docs: { tag: TAG, summary: 'Show an access policy', success: { status: 200, description: 'The policy.', body: answers.accessPolicy, component: 'VpnAccessPolicyResponse' } },
  }),
  defineOperation({
    name: 'UpdateVpnAccessPolicy',
    method: 'PUT',
    path: POLICY,
    body: 'required',
    bodySchema: updateVpnAccessPolicyBodySchema,
    cli: { section: SECTION, done: { facts: POLICY_FACTS, of: 'access_policy', say: 'updated access policy {--policy}' }, note: 'the body from --file' },
    parse: (request) => parseUpdateVpnAccessPolicy(request),
    run: (command, ports, signal) => updateVpnAccessPolicy(command, ports, signal),
    reply: (policy) => ({ status: 200, body: { access_policy: policy } }),
    docs: {
      tag: TAG,
      summary: 'Update an access policy',
      example: EXAMPLE,
      description: 'Any of name, user_group_id, description and dest_ip_cidrs; values equal to the stored ones change nothing.',
      success: { status: 200, description: 'The policy as it now is.', body: answers.accessPolicy, component: 'VpnAccessPolicyResponse' },
    },
  }),
  defineOperation({
    name: 'DeleteVpnAccessPolicy',
    method: 'DELETE',
    path: POLICY,
    body: 'none',
    cli: { section: SECTION, done: { say: 'deleted access policy {--policy}', noContent: true } },
    parse: (request) => parsePolicyTarget(request),
    run: (target, ports, signal) => deleteVpnAccessPolicy(target, ports, signal),
    reply: () => ({ status: 204 }),
    docs: { tag: TAG, summary: 'Delete an access policy', success: { status: 204, description: 'Deleted: no body, only the X-Request-Id header.' } },
  }),
];
