/** UpdateVpnUserPassword and ResetVpnUserPassword (CONTRACT.md section 11.2): the user's own change,
 * which needs the current password, and the administrator's reset, which does not. Either way the new
 * password follows the rules and is none of the last PASSWORD_HISTORY; they work whatever the server's
 * client_auth_type. No message says how close a wrong password was. */
import { invalidRequest, userNotFound } from '../core/errors';
import { toUtcMillis } from '../core/time';
import { PASSWORD_HISTORY, hashPassword, matchesAny, passwordMatches, withNewPassword, type PasswordHash } from './passwords';
import type { UsersPorts } from './ports';
import { passwordProblem } from './rules';
import type { PasswordCommand } from './schemas/users';
import { changeRecord, readServerRoster } from './server-roster';

export async function changeVpnUserPassword(command: PasswordCommand, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  const [{ roster }, records] = await Promise.all([readServerRoster(ports, command), ports.store.readRecords(command, 'user', [command.userId])]);
  const user = records.get(command.userId);
  if (!user || !(command.userId in roster.users)) throw userNotFound(command.userId);
  const problem = passwordProblem(command.newPassword, user.name);
  if (problem) throw invalidRequest([`new_password: ${problem}`]);
  let hashed: PasswordHash | undefined;
  await changeRecord(
    ports,
    command,
    'user',
    command.userId,
    user,
    async (current) => {
      if (command.oldPassword !== undefined && !(await passwordMatches(command.oldPassword, current.passwords[0]!))) {
        throw invalidRequest(['old_password: is not the current password']);
      }
      if (await matchesAny(command.newPassword, current.passwords)) {
        throw invalidRequest([`new_password: must not be one of the last ${PASSWORD_HISTORY} passwords`]);
      }
      hashed ??= await hashPassword(command.newPassword);
      return { ...current, passwords: withNewPassword(current.passwords, hashed), updated_at: toUtcMillis(ports.now()) };
    },
    () => userNotFound(command.userId),
    signal,
  );
}
