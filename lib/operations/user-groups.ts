/** The user group operations of a password server (CONTRACT.md section 11.3). */
import { MAX_CUSTOM_GROUPS_PER_SERVER, MAX_USERS_PER_BATCH } from '../core/limits';
import {
  addVpnUsersToGroup,
  createVpnUserGroup,
  deleteVpnUserGroup,
  listVpnUserGroups,
  listVpnUsersInGroup,
  removeVpnUsersFromGroup,
  showVpnUserGroup,
  updateVpnUserGroup,
} from '../vpn-users/groups';
import { answers } from '../vpn-users/schemas/answers';
import {
  createVpnUserGroupBodySchema,
  groupUsersBodySchema,
  parseCreateVpnUserGroup,
  parseGroupTarget,
  parseGroupUsers,
  parseUpdateVpnUserGroup,
  updateVpnUserGroupBodySchema,
} from '../vpn-users/schemas/groups';
import { pagedListCli, serverPage } from './lists';
import { defineOperation } from './operation';
import { SERVER } from './vpn-users';

const GROUPS = `${SERVER}/groups`;
const GROUP = `${GROUPS}/{group_id}`;
const TAG = 'VpnUserGroup';
const SECTION = '11.3';
const GROUP_FACTS = ['id', 'name', 'description', 'type', 'user_number', 'created_at', 'updated_at'] as const;
const groupOptions = (required: boolean) =>
  [
    { option: 'name', field: 'user_group.name', value: 'NAME', required },
    { option: 'description', field: 'user_group.description', value: 'TEXT' },
  ] as const;
const USERS_EXAMPLE = { users: [{ id: '41ad472e-d3e4-482b-8f00-7b2c1bfc4b7d' }] };

export const userGroupOperations = [
  defineOperation({
    name: 'CreateVpnUserGroup',
    method: 'POST',
    path: GROUPS,
    body: 'required',
    bodySchema: createVpnUserGroupBodySchema,
    clientToken: true,
    cli: { section: SECTION, bodyOptions: groupOptions(true), done: { say: 'created user group {user_group.id}' } },
    parse: (request) => parseCreateVpnUserGroup(request),
    run: (command, ports, signal) => createVpnUserGroup(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { user_group: { id } } }),
    docs: {
      tag: TAG,
      summary: 'Create a custom user group',
      example: { user_group: { name: 'user-group1', description: 'operations' } },
      description: `At most ${MAX_CUSTOM_GROUPS_PER_SERVER} custom groups per server; names unique ignoring case, never "default".`,
      success: { status: 201, description: 'Created (or the same request replayed with its X-Client-Token).', body: answers.createdGroup, component: 'CreateVpnUserGroupResponse' },
      errors: ['ClientTokenConflict'],
    },
  }),
  defineOperation({
    name: 'ListVpnUserGroups',
    method: 'GET',
    path: GROUPS,
    body: 'none',
    query: ['limit', 'marker'],
    cli: pagedListCli(SECTION, 'user_groups', [['ID', 'id'], ['NAME', 'name'], ['TYPE', 'type'], ['USERS', 'user_number']], 'user groups'),
    parse: serverPage,
    run: (query, ports) => listVpnUserGroups(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: TAG,
      summary: 'List the user groups of a server, the default group first',
      success: { status: 200, description: 'A page of the server\'s groups.', body: answers.userGroups, component: 'ListVpnUserGroupsResponse' },
    },
  }),
  defineOperation({
    name: 'ShowVpnUserGroup',
    method: 'GET',
    path: GROUP,
    body: 'none',
    cli: { section: SECTION, done: { facts: GROUP_FACTS, of: 'user_group', say: 'user group of vpn server {--server}' } },
    parse: (request) => parseGroupTarget(request),
    run: (target, ports) => showVpnUserGroup(target, ports),
    reply: (group) => ({ status: 200, body: { user_group: group } }),
    docs: { tag: TAG, summary: 'Show a user group', success: { status: 200, description: 'The group.', body: answers.userGroup, component: 'VpnUserGroupResponse' } },
  }),
  defineOperation({
    name: 'UpdateVpnUserGroup',
    method: 'PUT',
    path: GROUP,
    body: 'required',
    bodySchema: updateVpnUserGroupBodySchema,
    cli: { section: SECTION, bodyOptions: groupOptions(false), done: { facts: GROUP_FACTS, of: 'user_group', say: 'updated user group {--group}' } },
    parse: (request) => parseUpdateVpnUserGroup(request),
    run: (command, ports, signal) => updateVpnUserGroup(command, ports, signal),
    reply: (group) => ({ status: 200, body: { user_group: group } }),
    docs: {
      tag: TAG,
      summary: 'Rename or describe a custom user group',
      example: { user_group: { name: 'user-group1-update', description: '' } },
      description: 'The default group cannot be updated. Values equal to the stored ones change nothing.',
      success: { status: 200, description: 'The group as it now is.', body: answers.userGroup, component: 'VpnUserGroupResponse' },
    },
  }),
  defineOperation({
    name: 'DeleteVpnUserGroup',
    method: 'DELETE',
    path: GROUP,
    body: 'none',
    cli: { section: SECTION, done: { say: 'deleted user group {--group}', noContent: true } },
    parse: (request) => parseGroupTarget(request),
    run: (target, ports, signal) => deleteVpnUserGroup(target, ports, signal),
    reply: () => ({ status: 204 }),
    docs: {
      tag: TAG,
      summary: 'Delete a custom user group',
      description: 'Its users move to the default group. The default group, and a group an access policy names, cannot be deleted.',
      success: { status: 204, description: 'Deleted: no body, only the X-Request-Id header.' },
    },
  }),
  defineOperation({
    name: 'AddVpnUsersToGroup',
    method: 'POST',
    path: `${GROUP}/add-users`,
    body: 'required',
    bodySchema: groupUsersBodySchema,
    cli: { section: SECTION, done: { say: 'added the users to user group {--group}' }, note: 'the body ({"users": [{"id"}, ...]}) from --file' },
    parse: (request) => parseGroupUsers(request),
    run: (command, ports, signal) => addVpnUsersToGroup(command, ports, signal),
    reply: () => ({ status: 201, body: {} }),
    docs: {
      tag: TAG,
      summary: 'Move users into a group',
      example: USERS_EXAMPLE,
      description: `1 to ${MAX_USERS_PER_BATCH} users, each moved from wherever it was; unknown ids: 400 naming them, nothing changed.`,
      success: { status: 201, description: 'Moved.', body: answers.empty, component: 'RequestIdResponse' },
    },
  }),
  defineOperation({
    name: 'RemoveVpnUsersFromGroup',
    method: 'POST',
    path: `${GROUP}/remove-users`,
    body: 'required',
    bodySchema: groupUsersBodySchema,
    cli: { section: SECTION, done: { say: 'moved the users back to the default group' }, note: 'the body ({"users": [{"id"}, ...]}) from --file' },
    parse: (request) => parseGroupUsers(request),
    run: (command, ports, signal) => removeVpnUsersFromGroup(command, ports, signal),
    reply: () => ({ status: 201, body: {} }),
    docs: {
      tag: TAG,
      summary: 'Move users of a group back to the default group',
      example: USERS_EXAMPLE,
      description: 'Every id must be a member of this group (else 400 naming the others, nothing changed); not on the default group.',
      success: { status: 201, description: 'Moved.', body: answers.empty, component: 'RequestIdResponse' },
    },
  }),
  defineOperation({
    name: 'ListVpnUsersInGroup',
    method: 'GET',
    path: `${GROUP}/users`,
    body: 'none',
    query: ['limit', 'marker'],
    cli: pagedListCli(SECTION, 'users', [['ID', 'id'], ['NAME', 'name'], ['DESCRIPTION', 'description']], 'members'),
    parse: (request) => ({ ...parseGroupTarget(request), ...serverPage(request) }),
    run: (query, ports) => listVpnUsersInGroup(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: TAG,
      summary: 'List the members of a user group, oldest first',
      success: { status: 200, description: 'A page of the group\'s users (id, name, description).', body: answers.members, component: 'ListVpnUsersInGroupResponse' },
    },
  }),
];
