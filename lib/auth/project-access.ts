import { projectForbidden } from '../core/errors';

/** A key may act only in the projects it is bound to; an X-Project-Id header, when sent, must name the path's project. */
export function assertProjectAccess(
  credential: { projectIds: readonly string[] },
  pathProjectId: string,
  projectIdHeader: string | undefined,
): void {
  if (!credential.projectIds.includes(pathProjectId)) throw projectForbidden();
  if (projectIdHeader !== undefined && projectIdHeader !== pathProjectId) throw projectForbidden();
}
