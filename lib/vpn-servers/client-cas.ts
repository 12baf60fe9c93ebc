/** The client CA certificates of a server (CONTRACT.md section 10.2): import, show, rename, delete, and
 * the pre-check that needs no server. Every change is a read-modify-write of the server item. */
import { reservationFor, reserveClientToken } from '../core/client-token';
import { clientCaNotFound, duplicateCertificate, invalidRequest, nameTaken, serverNotFound } from '../core/errors';
import { CLIENT_TOKEN_RETENTION_SECONDS, MAX_CLIENT_CAS, MAX_COMPLETED_IMPORTS } from '../core/limits';
import { epochSeconds, toUtcSeconds } from '../core/time';
import { checkOneClientCa, clientCaRecord } from './certificates/client-ca';
import { certificateFactsOf } from './certificates/facts';
import type { UseCasePorts } from './ports';
import type { ClientCaRecord, VpnServerRecord } from './records';
import { importFingerprint, type ClientCaEntry, type ClientCaTarget, type ImportClientCaCommand } from './schemas/client-ca';
import type { ApiClientCa, CertificateFacts } from './schemas/server';
import { changeServer, type ChangeOutcome, type ReadSnapshot } from './server-change';
import { toApiClientCa } from './view';

const BODY_PATH = 'client_ca_certificate';

function findClientCa(server: VpnServerRecord, caId: string): ClientCaRecord {
  const ca = server.client_ca_certificates.find((entry) => entry.id === caId);
  if (!ca) throw clientCaNotFound(caId);
  return ca;
}

/** The server after a change at `now`: completed imports past their retention are dropped, and only
 * the latest MAX_COMPLETED_IMPORTS are kept, so the item stays bounded however many imports a day brings. */
const changed = (server: VpnServerRecord, now: Date, update: Partial<VpnServerRecord>): VpnServerRecord => ({
  ...server,
  ...update,
  completed_imports: (update.completed_imports ?? server.completed_imports)
    .filter((entry) => entry.expires_at > epochSeconds(now))
    .slice(-MAX_COMPLETED_IMPORTS),
  status: 'ACTIVE',
  updated_at: toUtcSeconds(now),
});

/** CheckClientCaCertificate: validates and describes a certificate; reads and writes nothing. */
export function checkClientCaCertificate(certificate: ClientCaEntry, ports: Pick<UseCasePorts, 'now'>): CertificateFacts & { name: string } {
  const checked = checkOneClientCa(certificate, BODY_PATH, ports.now(), new Set());
  return { name: checked.name, ...certificateFactsOf(checked) };
}

/** The import itself, on the latest server: the section 10.2 rules, then the server with the CA. */
function importOnto(
  snapshot: ReadSnapshot,
  certificate: ClientCaEntry,
  now: Date,
  caId: string,
  token: string | undefined,
): ChangeOutcome<string> {
  const { server } = snapshot;
  if (server.client_auth_type !== 'CERT') {
    throw invalidRequest([`vpn server ${server.id}: client_auth_type is ${server.client_auth_type}; client CA certificates need CERT`]);
  }
  const usedNames = new Set(server.client_ca_certificates.map((ca) => ca.name));
  const checked = checkOneClientCa(certificate, BODY_PATH, now, usedNames);
  if (server.client_ca_certificates.length >= MAX_CLIENT_CAS) {
    throw invalidRequest([`${BODY_PATH}: vpn server ${server.id} already holds ${MAX_CLIENT_CAS} client CA certificates, the most it can`]);
  }
  const sameName = server.client_ca_certificates.find((ca) => ca.name === certificate.name);
  if (sameName) throw invalidRequest([nameTaken(`${BODY_PATH}.name`, sameName.name, `client CA ${sameName.id}`)]);
  const sameCertificate = server.client_ca_certificates.find((ca) => ca.fingerprint === checked.fingerprint);
  if (sameCertificate) {
    throw duplicateCertificate(`${BODY_PATH}.content: the server already holds this certificate as client CA ${sameCertificate.id} (${sameCertificate.name})`);
  }
  const ca = clientCaRecord(caId, checked, toUtcSeconds(now));
  const completed = token
    ? [...server.completed_imports, { token, client_ca_id: caId, expires_at: epochSeconds(now) + CLIENT_TOKEN_RETENTION_SECONDS }]
    : server.completed_imports;
  return { next: changed(server, now, { client_ca_certificates: [...server.client_ca_certificates, ca], completed_imports: completed }), result: caId };
}

/** ImportClientCa. With X-Client-Token: the token is reserved (with a pre-assigned CA id) before the CA is
 * written, and the server records the completed import with the CA, so a replay answers the same id and
 * a retry after a crash between the two writes completes the import. */
export async function importClientCa(command: ImportClientCaCommand, ports: UseCasePorts, signal?: AbortSignal): Promise<{ id: string }> {
  const { projectId, serverId, clientToken, certificate } = command;
  const fingerprint = importFingerprint(serverId, certificate);
  const newCaId = ports.newId();
  const read = () => ports.store.readServer({ projectId, serverId, ...(clientToken ? { clientToken } : {}) });

  const id = await changeServer(
    ports,
    read,
    async (snapshot) => {
      const now = ports.now();
      const reserved = reservationFor(snapshot.token, fingerprint, now)?.client_ca_id;
      if (reserved) {
        const done = snapshot.server.completed_imports.find((entry) => entry.token === clientToken);
        if (done) return { result: done.client_ca_id };
        // a completed import the server no longer remembers (past its latest MAX_COMPLETED_IMPORTS): its CA is there
        if (snapshot.server.client_ca_certificates.some((ca) => ca.id === reserved)) return { result: reserved };
        return importOnto(snapshot, certificate, now, reserved, clientToken);
      }
      const outcome = importOnto(snapshot, certificate, now, newCaId, clientToken);
      if (!clientToken) return outcome;
      const inForce = await reserveClientToken(ports.store, { project_id: projectId, token: clientToken, fingerprint, server_id: serverId, client_ca_id: newCaId }, now);
      // another call with the same token and request reserved first: its CA id, on the next read
      return inForce.client_ca_id === newCaId ? outcome : importOnto(snapshot, certificate, now, inForce.client_ca_id!, clientToken);
    },
    serverId,
    signal,
  );
  return { id };
}

export async function showClientCa(target: ClientCaTarget, ports: UseCasePorts): Promise<ApiClientCa> {
  const { server } = await ports.store.readServer({ projectId: target.projectId, serverId: target.serverId });
  if (!server) throw serverNotFound(target.serverId);
  return toApiClientCa(findClientCa(server, target.caId));
}

/** UpdateClientCa: a new name (unique on the server); the same name writes nothing. */
export async function updateClientCa(command: ClientCaTarget & { name: string }, ports: UseCasePorts, signal?: AbortSignal): Promise<void> {
  const { projectId, serverId, caId, name } = command;
  await changeServer(
    ports,
    () => ports.store.readServer({ projectId, serverId }),
    ({ server }) => {
      const ca = findClientCa(server, caId);
      if (ca.name === name) return { result: undefined };
      const other = server.client_ca_certificates.find((entry) => entry.name === name);
      if (other) throw invalidRequest([nameTaken(`${BODY_PATH}.name`, name, `client CA ${other.id}`)]);
      const now = ports.now();
      const renamed = server.client_ca_certificates.map((entry) => (entry.id === caId ? { ...entry, name, updated_at: toUtcSeconds(now) } : entry));
      return { next: changed(server, now, { client_ca_certificates: renamed }), result: undefined };
    },
    serverId,
    signal,
  );
}

/** DeleteClientCa; the last CA of a CERT server may go too (Terraform deletes before it switches auth). */
export async function deleteClientCa(target: ClientCaTarget, ports: UseCasePorts, signal?: AbortSignal): Promise<void> {
  const { projectId, serverId, caId } = target;
  await changeServer(
    ports,
    () => ports.store.readServer({ projectId, serverId }),
    ({ server }) => {
      findClientCa(server, caId);
      const remaining = server.client_ca_certificates.filter((entry) => entry.id !== caId);
      return { next: changed(server, ports.now(), { client_ca_certificates: remaining }), result: undefined };
    },
    serverId,
    signal,
  );
}
