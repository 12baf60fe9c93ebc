/** What the users feature stores (CONTRACT.md section 11). Each user, custom group and access policy is an
 * item of its own; the server's roster is one more item, the commit point of every change that must hold
 * across them: which users, groups and policies exist, their names, each user's group and static IP, and
 * each policy's group. Uniqueness, the limits, "one group per user", a batch's all or nothing and "a
 * group that a policy names stays" are then one conditional write of the roster each, with no
 * transaction. An item the roster does not list does not exist (a create writes its items first, then
 * the roster; a crash between leaves an item nothing shows). */
import type { PasswordHash } from './passwords';

export interface RosterUser {
  name: string;
  /** a custom group's id; absent: the default group */
  group?: string;
  static_ip?: string;
}

export interface RosterGroup {
  name: string;
}

export interface RosterPolicy {
  name: string;
  /** a custom group's id or the default group's */
  group: string;
}

export interface Roster {
  /** 0: never written; + 1 on every change */
  version: number;
  users: Record<string, RosterUser>;
  groups: Record<string, RosterGroup>;
  policies: Record<string, RosterPolicy>;
}

export const EMPTY_ROSTER: Roster = { version: 0, users: {}, groups: {}, policies: {} };

/** Every record's id is a time-ordered UUID (lib/core/ids.ts timeOrderedId) made at its created_at. */
interface StoredRecord {
  id: string;
  created_at: string;
  updated_at: string;
  /** 1 when created, + 1 on every change */
  version: number;
}

export interface UserRecord extends StoredRecord {
  name: string;
  description: string;
  /** the newest first, at most PASSWORD_HISTORY: the first is the current password */
  passwords: PasswordHash[];
}

export interface GroupRecord extends StoredRecord {
  description: string;
}

export interface PolicyRecord extends StoredRecord {
  description: string;
  dest_ip_cidrs: string[];
}

export interface RecordKinds {
  user: UserRecord;
  group: GroupRecord;
  policy: PolicyRecord;
}
export type RecordKind = keyof RecordKinds;

/** What the users feature needs of the server they belong to. */
export interface ServerFacts {
  id: string;
  client_auth_type: 'LOCAL_PASSWORD' | 'CERT';
  client_cidr: string;
  /** yyyy-MM-ddTHH:mm:ssZ: the default group's created_at */
  created_at: string;
}
