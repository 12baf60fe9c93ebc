/** What every users, groups and policies call starts with (the server and its roster, read together),
 * and the commit of a change to the roster: applied to the roster read, written on its version; after a
 * lost race the roster is read again and the change applied again, its checks included. */
import { assertStillAwaited } from '../core/deadline';
import { invalidRequest, serverNotFound } from '../core/errors';
import { retryOnConflict, type Attempt } from '../core/optimistic';
import type { Page } from '../core/paging';
import type { ServerTarget, UsersPorts } from './ports';
import type { RecordKind, RecordKinds, Roster, ServerFacts } from './records';

export interface ServerRoster {
  server: ServerFacts;
  roster: Roster;
}

export async function readServerRoster(ports: UsersPorts, target: ServerTarget): Promise<ServerRoster> {
  const [server, roster] = await Promise.all([ports.store.readServerFacts(target), ports.store.readRoster(target)]);
  if (!server) throw serverNotFound(target.serverId);
  return { server, roster };
}

/** Creates and add-users need a LOCAL_PASSWORD server; reads, updates, deletes and passwords do not. */
export function requirePasswordServer(server: ServerFacts): void {
  if (server.client_auth_type !== 'LOCAL_PASSWORD') {
    throw invalidRequest([`vpn server ${server.id} has client_auth_type ${server.client_auth_type}: users, user groups and access policies need LOCAL_PASSWORD`]);
  }
}

/** `next` undefined: nothing to write; answer `result`. */
export interface RosterOutcome<R> {
  next?: Roster;
  result: R;
}

/** Commits `change`, first on `first` (the roster the call already read), then on fresh reads. */
export function changeRoster<R>(
  ports: UsersPorts,
  target: ServerTarget,
  first: Roster,
  change: (roster: Roster) => RosterOutcome<R>,
  signal?: AbortSignal,
): Promise<R> {
  let roster: Roster | undefined = first;
  return retryOnConflict(async (): Promise<Attempt<R>> => {
    const read = roster ?? (await ports.store.readRoster(target));
    roster = undefined;
    const { next, result } = change(read);
    if (!next) return { done: true, result };
    assertStillAwaited(signal);
    return (await ports.store.replaceRoster(target, next, read.version)) ? { done: true, result } : { done: false };
  });
}

/** The roster with `entries` of one section replaced or, as undefined, removed. */
export function withEntries<S extends 'users' | 'groups' | 'policies'>(roster: Roster, section: S, entries: Record<string, Roster[S][string] | undefined>): Roster {
  const next = { ...roster[section] } as Record<string, Roster[S][string]>;
  for (const [id, entry] of Object.entries(entries)) {
    if (entry === undefined) delete next[id];
    else next[id] = entry;
  }
  return { ...roster, [section]: next };
}

/** A record's change on its version (description, times, passwords), re-read after a lost race. */
export function changeRecord<K extends RecordKind>(
  ports: UsersPorts,
  target: ServerTarget,
  kind: K,
  id: string,
  first: RecordKinds[K],
  change: (record: RecordKinds[K]) => Promise<RecordKinds[K]> | RecordKinds[K],
  missing: () => Error,
  signal?: AbortSignal,
): Promise<RecordKinds[K]> {
  let read: RecordKinds[K] | undefined = first;
  return retryOnConflict(async (): Promise<Attempt<RecordKinds[K]>> => {
    const current = read ?? (await ports.store.readRecords(target, kind, [id])).get(id);
    read = undefined;
    if (!current) throw missing();
    const next = { ...(await change(current)), version: current.version + 1 };
    assertStillAwaited(signal);
    return (await ports.store.replaceRecord(target, kind, next, current.version)) ? { done: true, result: next } : { done: false };
  });
}

/** A page of records in the order of `page.ids` (an id whose record is gone is skipped), and the list's total. */
export function pageOf<T>(page: { ids: string[]; nextMarker?: string }, records: ReadonlyMap<string, T>, totalCount: number): Page<T> {
  const items = page.ids.flatMap((id) => (records.has(id) ? [records.get(id)!] : []));
  return { items, totalCount, ...(page.nextMarker ? { nextMarker: page.nextMarker } : {}) };
}
