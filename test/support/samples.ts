/** One sample request per catalogue operation, for the tests that cover every operation: its path with
 * the ids a test gives, and its documented example body (docs.example). A new operation is covered by
 * them the day it enters the catalogue. */
import { pathIdsOf, type AnyOperation } from '../../lib/operations/operation';
import { apiEvent, type ApiRequest } from './api-events';

/** The ids of `operation`'s path taken from `known` (by their template names); fails naming a missing one. */
export function idsOf(operation: AnyOperation, known: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    pathIdsOf(operation.path).map((name) => {
      const id = known[name];
      if (id === undefined) throw new Error(`no ${name} for ${operation.name}: give the sample one`);
      return [name, id];
    }),
  );
}

/** The path as sent, the template filled with `ids`. */
export const pathOf = (operation: AnyOperation, ids: Readonly<Record<string, string>>): string =>
  operation.path.replace(/\{([a-z0-9_]+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);

/** The operation's documented body, as a fresh copy (undefined when it reads none). */
const sampleBody = (operation: AnyOperation): object | undefined =>
  operation.body === 'none' ? undefined : (structuredClone(operation.docs.example) ?? {});

/** The sample as a signed HTTP API event. */
export const sampleEvent = (operation: AnyOperation, ids: Readonly<Record<string, string>>, options: Omit<ApiRequest, 'method' | 'path'> = {}) =>
  apiEvent({ method: operation.method, path: pathOf(operation, ids), ...(operation.body === 'none' ? {} : { body: sampleBody(operation) }), ...options });

/** The sample as an event payload: the action, the ids and the body's members at the top level. */
export const samplePayload = (operation: AnyOperation, ids: Readonly<Record<string, string>>): Record<string, unknown> => ({
  action: operation.name,
  ...ids,
  ...sampleBody(operation),
});
