/** The VPN user operations of a password server (CONTRACT.md section 11.2). */
import { MAX_USERS_PER_BATCH, MAX_USERS_PER_SERVER } from '../core/limits';
import { answers } from '../vpn-users/schemas/answers';
import {
  batchCreateVpnUsersBodySchema,
  batchDeleteVpnUsersBodySchema,
  changePasswordBodySchema,
  createVpnUserBodySchema,
  parseBatchCreateVpnUsers,
  parseBatchDeleteVpnUsers,
  parseChangePassword,
  parseCreateVpnUser,
  parseResetPassword,
  parseUpdateVpnUser,
  parseUserTarget,
  resetPasswordBodySchema,
  updateVpnUserBodySchema,
} from '../vpn-users/schemas/users';
import { changeVpnUserPassword } from '../vpn-users/user-passwords';
import { batchCreateVpnUsers, batchDeleteVpnUsers, createVpnUser, deleteVpnUser, listVpnUsers, showVpnUser, updateVpnUser } from '../vpn-users/users';
import { pagedListCli, serverPage } from './lists';
import { defineOperation } from './operation';

export const SERVER = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}';
const USERS = `${SERVER}/users`;
const USER = `${USERS}/{user_id}`;
const TAG = 'VpnUser';
const SECTION = '11.2';
const USER_FACTS = ['id', 'name', 'description', 'user_group_id', 'user_group_name', 'static_ip', 'created_at', 'updated_at'] as const;

export const vpnUserOperations = [
  defineOperation({
    name: 'CreateVpnUser',
    method: 'POST',
    path: USERS,
    body: 'required',
    bodySchema: createVpnUserBodySchema,
    clientToken: true,
    cli: { section: SECTION, done: { say: 'created vpn user {user.id}' }, note: 'the body ({"user": {"name", "password", ...}}) from --file' },
    parse: (request) => parseCreateVpnUser(request),
    run: (command, ports, signal) => createVpnUser(command, ports, signal),
    reply: ({ id }) => ({ status: 201, body: { user: { id } } }),
    docs: {
      tag: TAG,
      summary: 'Create a VPN user of a password server',
      example: { user: { name: 'alice.ops', password: 'Typhoeus123', description: 'on call', static_ip: 'disable' } },
      description:
        `The server's client_auth_type must be LOCAL_PASSWORD; at most ${MAX_USERS_PER_SERVER} users per server, names ` +
        'unique ignoring case. The password is stored only as a salted scrypt hash. With X-Client-Token a replay of ' +
        'the same request (its password included) answers the first call\'s id.',
      success: { status: 201, description: 'Created (or the same request replayed with its X-Client-Token).', body: answers.createdUser, component: 'CreateVpnUserResponse' },
      errors: ['ClientTokenConflict'],
    },
  }),
  defineOperation({
    name: 'BatchCreateVpnUsers',
    method: 'POST',
    path: `${USERS}/batch-create`,
    body: 'required',
    bodySchema: batchCreateVpnUsersBodySchema,
    clientToken: true,
    cli: {
      section: SECTION,
      done: { table: { rows: 'invalid_users', columns: [['NAME', 'name'], ['CAUSE', 'cause']], noun: 'invalid users (none: all created)' } },
      note: 'the body ({"users": [...]}) from --file',
    },
    parse: (request) => parseBatchCreateVpnUsers(request),
    run: (command, ports, signal) => batchCreateVpnUsers(command, ports, signal),
    reply: ({ invalidUsers }) => ({ status: 201, body: { invalid_users: invalidUsers } }),
    docs: {
      tag: TAG,
      summary: 'Create up to 100 VPN users at once, all or nothing',
      example: { users: [{ name: 'user0001', password: 'Typhoeus123', user_group_name: 'default' }, { name: 'user0002', password: 'Gaia1234' }] },
      description:
        `1 to ${MAX_USERS_PER_BATCH} users. When any entry breaks a rule nothing is created and invalid_users names each ` +
        'such entry (never its password) with its cause, in request order; success is invalid_users: []. A batch that ' +
        'created nothing does not consume its X-Client-Token.',
      success: { status: 201, description: 'The batch\'s outcome: invalid_users is empty when every user was created.', body: answers.invalidUsers, component: 'BatchCreateVpnUsersResponse' },
      errors: ['ClientTokenConflict'],
    },
  }),
  defineOperation({
    name: 'ListVpnUsers',
    method: 'GET',
    path: USERS,
    body: 'none',
    query: ['limit', 'marker'],
    cli: pagedListCli(SECTION, 'users', [['ID', 'id'], ['NAME', 'name'], ['GROUP', 'user_group_name'], ['STATIC_IP', 'static_ip'], ['CREATED', 'created_at']], 'vpn users'),
    parse: serverPage,
    run: (query, ports) => listVpnUsers(query, ports),
    reply: (list) => ({ status: 200, body: list }),
    docs: {
      tag: TAG,
      summary: 'List the VPN users of a server, oldest first',
      success: { status: 200, description: 'A page of the server\'s users; page_info.next_marker is present when more follow.', body: answers.users, component: 'ListVpnUsersResponse' },
    },
  }),
  defineOperation({
    name: 'ShowVpnUser',
    method: 'GET',
    path: USER,
    body: 'none',
    cli: { section: SECTION, done: { facts: USER_FACTS, of: 'user', say: 'vpn user of vpn server {--server}' } },
    parse: (request) => parseUserTarget(request),
    run: (target, ports) => showVpnUser(target, ports),
    reply: (user) => ({ status: 200, body: { user } }),
    docs: { tag: TAG, summary: 'Show a VPN user', success: { status: 200, description: 'The user.', body: answers.user, component: 'VpnUserResponse' } },
  }),
  defineOperation({
    name: 'UpdateVpnUser',
    method: 'PUT',
    path: USER,
    body: 'required',
    bodySchema: updateVpnUserBodySchema,
    cli: { section: SECTION, done: { facts: USER_FACTS, of: 'user', say: 'updated vpn user {--user}' } },
    parse: (request) => parseUpdateVpnUser(request),
    run: (command, ports, signal) => updateVpnUser(command, ports, signal),
    reply: (user) => ({ status: 200, body: { user } }),
    docs: {
      tag: TAG,
      summary: 'Update a VPN user\'s description, group or static IP',
      example: { user: { description: '', user_group_id: '7625fd92-2e20-4e4d-8c56-66f110fbfaa8' } },
      description: 'name and password cannot change here. Values equal to the stored ones change nothing, and an update that changes nothing writes nothing.',
      success: { status: 200, description: 'The user as it now is.', body: answers.user, component: 'VpnUserResponse' },
    },
  }),
  defineOperation({
    name: 'DeleteVpnUser',
    method: 'DELETE',
    path: USER,
    body: 'none',
    cli: { section: SECTION, done: { say: 'deleted vpn user {--user}', noContent: true } },
    parse: (request) => parseUserTarget(request),
    run: (target, ports, signal) => deleteVpnUser(target, ports, signal),
    reply: () => ({ status: 204 }),
    docs: { tag: TAG, summary: 'Delete a VPN user', success: { status: 204, description: 'Deleted: no body, only the X-Request-Id header.' } },
  }),
  defineOperation({
    name: 'BatchDeleteVpnUsers',
    method: 'POST',
    path: `${USERS}/batch-delete`,
    body: 'required',
    bodySchema: batchDeleteVpnUsersBodySchema,
    cli: { section: SECTION, done: { say: 'deleted the vpn users' }, note: 'the body ({"users": [{"id"}, ...]}) from --file' },
    parse: (request) => parseBatchDeleteVpnUsers(request),
    run: (command, ports, signal) => batchDeleteVpnUsers(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
    docs: {
      tag: TAG,
      summary: 'Delete up to 100 VPN users at once',
      example: { users: [{ id: 'cc975b1d-9a5e-4b8e-8c6c-4c6c1f3b2a10' }] },
      description: 'Every id must be a user of this server, else 400 naming the unknown ids and nothing is deleted; repeated ids count once.',
      success: { status: 200, description: 'Deleted.', body: answers.empty, component: 'RequestIdResponse' },
    },
  }),
  defineOperation({
    name: 'UpdateVpnUserPassword',
    method: 'PUT',
    path: `${USER}/password`,
    body: 'required',
    bodySchema: changePasswordBodySchema,
    cli: { section: SECTION, done: { say: 'changed the password of vpn user {--user}' }, note: 'the body ({"old_password", "new_password"}) from --file' },
    parse: (request) => parseChangePassword(request),
    run: (command, ports, signal) => changeVpnUserPassword(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
    docs: {
      tag: TAG,
      summary: 'Change a VPN user\'s password (the current one needed)',
      example: { old_password: 'Typhoeus123', new_password: 'Gaia12345' },
      description: 'The new password follows the password rules and is none of the user\'s last 5.',
      success: { status: 200, description: 'Changed.', body: answers.empty, component: 'RequestIdResponse' },
    },
  }),
  defineOperation({
    name: 'ResetVpnUserPassword',
    method: 'POST',
    path: `${USER}/reset-password`,
    body: 'required',
    bodySchema: resetPasswordBodySchema,
    cli: { section: SECTION, done: { say: 'reset the password of vpn user {--user}' }, note: 'the body ({"new_password"}) from --file' },
    parse: (request) => parseResetPassword(request),
    run: (command, ports, signal) => changeVpnUserPassword(command, ports, signal),
    reply: () => ({ status: 200, body: {} }),
    docs: {
      tag: TAG,
      summary: 'Reset a VPN user\'s password (the administrator\'s call)',
      example: { new_password: 'Gaia12345' },
      description: 'As the change, without the current password.',
      success: { status: 200, description: 'Reset.', body: answers.empty, component: 'RequestIdResponse' },
    },
  }),
];
