/** The persistence the users, groups and policies use cases need; lib/store/members.ts implements it. */
import type { ClientTokenStore } from '../core/client-token';
import type { RecordKind, RecordKinds, Roster, ServerFacts } from './records';

/** A server of a project: everything here belongs to one. */
export interface ServerTarget {
  projectId: string;
  serverId: string;
}

export interface MemberStore extends ClientTokenStore {
  /** undefined when the project has no server of that id */
  readServerFacts(target: ServerTarget): Promise<ServerFacts | undefined>;
  /** EMPTY_ROSTER when the server never had a user, group or policy */
  readRoster(target: ServerTarget): Promise<Roster>;
  /** Writes `next` (version `readVersion` + 1) if the stored roster still has `readVersion`; false when
   * another change came first. */
  replaceRoster(target: ServerTarget, next: Roster, readVersion: number): Promise<boolean>;
  readRecords<K extends RecordKind>(target: ServerTarget, kind: K, ids: readonly string[]): Promise<Map<string, RecordKinds[K]>>;
  /** Unconditional: records the roster does not list yet (a create), or no longer lists (a retry). */
  putRecords<K extends RecordKind>(target: ServerTarget, kind: K, records: readonly RecordKinds[K][]): Promise<void>;
  /** Writes `next` (version `readVersion` + 1) if the stored record still has `readVersion`. */
  replaceRecord<K extends RecordKind>(target: ServerTarget, kind: K, next: RecordKinds[K], readVersion: number): Promise<boolean>;
  deleteRecords(target: ServerTarget, kind: RecordKind, ids: readonly string[]): Promise<void>;
}

export interface UsersPorts {
  store: MemberStore;
  now: () => Date;
}
