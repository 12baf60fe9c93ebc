/** ImportClientCa, CheckClientCaCertificate, ShowClientCa, UpdateClientCa and DeleteClientCa
 * (CONTRACT.md section 10.2): their bodies, targets and answers. */
import * as z from 'zod/mini';
import { requestFingerprint } from '../../core/client-token';
import { lowercaseId, requestIdSchema, uuidSchema } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { always, parseClientToken } from '../../core/fields';
import { clientCaCertificateSchema, clientCaNameSchema, clientCaTargetSchema } from './fields';
import { projectTargetSchema, replySchema, serverTargetSchema } from '../../core/fields';
import { lazy } from '../../core/memo';
import { apiClientCaSchema } from './server';

/** Import and check: `{"client_ca_certificate": {"name"?, "content"}}`. */
export const clientCaBodySchema = z.strictObject({ client_ca_certificate: clientCaCertificateSchema });

/** Rename: `{"client_ca_certificate": {"name"}}`; the content of a client CA never changes. */
export const updateClientCaBodySchema = z.strictObject({
  client_ca_certificate: z
    .strictObject({ name: clientCaNameSchema, content: z.optional(z.unknown()) })
    .check(
      z.superRefine((ca, ctx) => {
        // `always` runs this on any input, an absent or null object too
        if (typeof ca !== 'object' || ca === null) return;
        if (ca.content !== undefined && ca.content !== null) {
          ctx.addIssue({ code: 'custom', path: ['content'], message: 'cannot be updated (delete the client CA and import the new one)', input: undefined });
        }
      }, always),
    ),
});

/** The certificate's facts at the top level, as Huawei's CheckClientCaCertificateResponse has them. */
export const checkClientCaCertificateResponseSchema = lazy(() =>
  z.extend(
    z.pick(apiClientCaSchema(), { name: true, issuer: true, subject: true, serial_number: true, expiration_time: true, signature_algorithm: true }),
    { request_id: requestIdSchema },
  ),
);

export const importClientCaResponseSchema = replySchema(() => ({ client_ca_certificate: z.strictObject({ id: uuidSchema }) }));

export const showClientCaResponseSchema = replySchema(() => ({ client_ca_certificate: apiClientCaSchema() }));

/** The rename's answer carries only the request_id. */
export const updateClientCaResponseSchema = replySchema(() => ({}));

export interface ClientCaEntry {
  /** undefined: generated */
  name?: string;
  content: string;
}

export interface ImportClientCaCommand {
  projectId: string;
  serverId: string;
  clientToken?: string;
  certificate: ClientCaEntry;
}

export interface ClientCaTarget {
  projectId: string;
  serverId: string;
  caId: string;
}

const entryOf = (ca: z.infer<typeof clientCaCertificateSchema>): ClientCaEntry => (ca.name ? { name: ca.name, content: ca.content } : { content: ca.content });

/** Identifies an import for X-Client-Token: same server, same name as sent, same certificate. */
export const importFingerprint = (serverId: string, certificate: ClientCaEntry): string =>
  requestFingerprint('ImportClientCa', { serverId, name: certificate.name ?? '', content: certificate.content.trim() });

const serverTarget = (projectId: unknown, serverId: unknown) => {
  const target = parseOrThrow(serverTargetSchema, { project_id: projectId, vpn_server_id: serverId });
  return { projectId: target.project_id, serverId: lowercaseId(target.vpn_server_id) };
};

export function parseImportClientCa(input: {
  projectId: unknown;
  serverId: unknown;
  clientToken?: unknown;
  clientTokenField: string;
  body: unknown;
}): ImportClientCaCommand {
  const target = serverTarget(input.projectId, input.serverId);
  const clientToken = parseClientToken(input.clientToken, input.clientTokenField);
  const body = parseOrThrow(clientCaBodySchema, input.body);
  return { ...target, ...(clientToken !== undefined ? { clientToken } : {}), certificate: entryOf(body.client_ca_certificate) };
}

export function parseCheckClientCaCertificate(input: { projectId: unknown; body: unknown }): { projectId: string; certificate: ClientCaEntry } {
  const target = parseOrThrow(projectTargetSchema, { project_id: input.projectId });
  const body = parseOrThrow(clientCaBodySchema, input.body);
  return { projectId: target.project_id, certificate: entryOf(body.client_ca_certificate) };
}

export function parseClientCaTarget(input: { projectId: unknown; serverId?: unknown; caId?: unknown }): ClientCaTarget {
  const target = parseOrThrow(clientCaTargetSchema, {
    project_id: input.projectId,
    vpn_server_id: input.serverId,
    client_ca_certificate_id: input.caId,
  });
  return { projectId: target.project_id, serverId: lowercaseId(target.vpn_server_id), caId: lowercaseId(target.client_ca_certificate_id) };
}

export function parseUpdateClientCa(input: { projectId: unknown; serverId?: unknown; caId?: unknown; body: unknown }): ClientCaTarget & { name: string } {
  const target = parseClientCaTarget(input);
  const body = parseOrThrow(updateClientCaBodySchema, input.body);
  return { ...target, name: body.client_ca_certificate.name };
}
