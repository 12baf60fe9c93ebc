/** ExportClientConfig (CONTRACT.md section 10.3): an absent body, `{}` or `{"os_type"}`. */
import * as z from 'zod/mini';
import { lowercaseId } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { absentIfNull } from '../../core/fields';
import { replySchema, serverTargetSchema } from '../../core/fields';

export const OS_TYPES = ['Windows', 'Linux', 'MacOS', 'Android', 'iOS'] as const;
export const DEFAULT_OS_TYPE = 'Windows';

export const exportClientConfigBodySchema = z.strictObject({ os_type: absentIfNull(z.enum(OS_TYPES)) });

export const exportClientConfigResponseSchema = replySchema(() => ({ client_config: z.string() }));

export interface ExportClientConfigCommand {
  projectId: string;
  serverId: string;
  osType: (typeof OS_TYPES)[number];
}

/** `body` undefined: no body was sent (older Node SDKs send none). */
export function parseExportClientConfig(input: { projectId: unknown; serverId: unknown; body: unknown }): ExportClientConfigCommand {
  const target = parseOrThrow(serverTargetSchema, { project_id: input.projectId, vpn_server_id: input.serverId });
  const body = parseOrThrow(exportClientConfigBodySchema, input.body ?? {});
  return { projectId: target.project_id, serverId: lowercaseId(target.vpn_server_id), osType: body.os_type ?? DEFAULT_OS_TYPE };
}
