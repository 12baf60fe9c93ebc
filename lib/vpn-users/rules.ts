/** The rules of a VPN user's, a user group's and an access policy's own fields (CONTRACT.md sections
 * 11.2 to 11.4), each once. Pure and zod-free: the schemas and the batch create's per-entry causes ask
 * these (the static IP's rule, which the server update asks too, is lib/core/static-ip.ts). */

export const USER_NAME_PATTERN = /^[A-Za-z0-9._-]{4,32}$/;
export const USER_NAME_RULE = 'must be 4 to 32 letters, digits, dots, underscores or hyphens';

/** Letters of any script, digits, underscores and hyphens: group and policy names. */
const GROUP_NAME_PATTERN = /^[\p{L}\p{N}_-]{1,64}$/u;
export const GROUP_NAME_RULE = 'must be 1 to 64 letters, digits, underscores or hyphens';
/** the default group's name, which no custom group may take (any case) */
const DEFAULT_GROUP_NAME = 'default';

const MAX_DESCRIPTION_LENGTH = 64;
// eslint-disable-next-line no-control-regex -- the rule is about control characters
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;
export const DESCRIPTION_RULE = `must be at most ${MAX_DESCRIPTION_LENGTH} characters, none of them a control character`;

const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 32;
/** the specials a password may hold, space included */
const PASSWORD_SPECIALS = ' ~`!@#$%^&*()-_=+\\|[{}];:\'",<.>/?';
const PASSWORD_KINDS = [
  { name: 'upper-case letters', test: (c: string) => c >= 'A' && c <= 'Z' },
  { name: 'lower-case letters', test: (c: string) => c >= 'a' && c <= 'z' },
  { name: 'digits', test: (c: string) => c >= '0' && c <= '9' },
  { name: 'specials', test: (c: string) => PASSWORD_SPECIALS.includes(c) },
] as const;
const MIN_PASSWORD_KINDS = 2;
export const PASSWORD_RULE =
  `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters of upper-case letters, lower-case letters, digits and ` +
  `the specials ${PASSWORD_SPECIALS.trim()} and space, with at least ${MIN_PASSWORD_KINDS} of those kinds, and be neither the ` +
  'user name nor the user name reversed';

/** Why a description breaks its rule, or undefined. */
export const descriptionProblem = (description: string): string | undefined =>
  [...description].length > MAX_DESCRIPTION_LENGTH || CONTROL_CHARACTER.test(description) ? DESCRIPTION_RULE : undefined;

/** Why a password breaks its rule for user `name`, or undefined. The message never quotes the password. */
export function passwordProblem(password: string, name: string): string | undefined {
  const characters = [...password];
  if (characters.length < MIN_PASSWORD_LENGTH || characters.length > MAX_PASSWORD_LENGTH) return PASSWORD_RULE;
  const kinds = characters.map((character) => PASSWORD_KINDS.findIndex((kind) => kind.test(character)));
  if (kinds.includes(-1)) return PASSWORD_RULE;
  if (new Set(kinds).size < MIN_PASSWORD_KINDS) return PASSWORD_RULE;
  const lower = password.toLowerCase();
  const lowerName = name.toLowerCase();
  if (lower === lowerName || lower === [...lowerName].reverse().join('')) return PASSWORD_RULE;
  return undefined;
}

/** A group name's problem, or undefined: `default` (any case) is the default group's. */
export function groupNameProblem(name: string): string | undefined {
  if (!GROUP_NAME_PATTERN.test(name)) return GROUP_NAME_RULE;
  if (name.toLowerCase() === DEFAULT_GROUP_NAME) return `"${name}" is the default group's name`;
  return undefined;
}

/** A policy name: the characters of a group's name; `default` is no reserved word here. */
export const policyNameProblem = (name: string): string | undefined => (GROUP_NAME_PATTERN.test(name) ? undefined : GROUP_NAME_RULE);

/** Names are unique within a server ignoring case: the key they are claimed under. */
export const nameKey = (name: string): string => name.toLowerCase();
