/** zod issues as `field.path: what is wrong` lines: the one formatter of the request schemas, the event
 * payloads and the seed file. */
import * as z from 'zod/mini';
import { invalidRequest } from './errors';

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
    case 'array':
      return `an ${expected}`;
    case 'int':
      return 'an integer';
    default:
      return `a ${expected}`;
  }
}

function fieldPath(path: readonly PropertyKey[], root: string): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    root,
  );
}

function describeIssue(issue: z.core.$ZodIssue, root: string): string[] {
  const at = fieldPath(issue.path, root) || 'body';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${fieldPath([...issue.path, key], root)}: unknown field`);
    case 'invalid_type':
      return [issue.input === undefined || issue.input === null ? `${at}: is required` : `${at}: must be ${describeExpected(issue.expected)}`];
    case 'invalid_value':
      return [`${at}: must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((value) => JSON.stringify(value)).join(', ')}`];
    case 'too_small':
      return [issue.origin === 'array' ? `${at}: must have at least ${issue.minimum} entries` : `${at}: must not be empty`];
    case 'too_big':
      return [issue.origin === 'array' ? `${at}: must have at most ${issue.maximum} entries` : `${at}: is too long`];
    default:
      return [`${at}: ${issue.message}`];
  }
}

/** The problems of `input` against `schema` (`root` prefixes the paths), or the parsed value. */
export function validate<T extends z.ZodMiniType>(
  schema: T,
  input: unknown,
  root = '',
): { data: z.infer<T>; problems?: undefined } | { problems: string[] } {
  // reportInput lets the message tell a missing field from a wrongly typed one; the input never enters it
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) return { data: result.data };
  return { problems: result.error.issues.flatMap((issue) => describeIssue(issue, root)) };
}

/** Parses `input` or throws VPN.0001 naming every offending field. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, input: unknown, root = ''): z.infer<T> {
  const result = validate(schema, input, root);
  if (result.problems) throw invalidRequest(result.problems);
  return result.data;
}
