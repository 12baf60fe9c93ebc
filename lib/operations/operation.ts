/** What an operation of the catalogue is: one descriptor that the HTTP routes, the event actions, the
 * OpenAPI document and the CLI all derive from. Its name is the event action and the OpenAPI
 * operationId, and in kebab case the CLI command. */
import * as z from 'zod/mini';
import { lowercaseId, projectIdSchema, uuidSchema } from '../core/ids';
import { parseOrThrow } from '../core/issues';
import type { ServicePorts } from './ports';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** required: a JSON body; optional: none, or a JSON one; none: the body is not read. */
export type BodyRule = 'required' | 'optional' | 'none';

/** A call as any adapter hands it over, before the operation's own parser. */
export interface OperationRequest {
  /** the path's ids by their template names (project_id, vpn_server_id, ...), checked and lower-cased */
  ids: Readonly<Record<string, string>>;
  /** the query parameters the operation takes, one value each as given */
  query: Readonly<Record<string, unknown>>;
  /** the X-Client-Token of a token-taking create, unchecked */
  clientToken?: unknown;
  /** how the adapter names the token in messages: X-Client-Token over HTTP, client_token or messageId in events */
  clientTokenField: string;
  /** the body's JSON value; undefined when none was sent */
  body: unknown;
}

/** status 204 has no body */
export interface Reply {
  status: number;
  body?: object;
}

/** What the OpenAPI document (lib/openapi/) says of an operation beyond what the rest of its descriptor
 * implies. The path parameters, the signing and token headers, the query parameters, the request body
 * and the common error responses follow from the descriptor (lib/openapi/errors.ts derives the errors). */
interface OperationDocs {
  /** one of the document's tags (lib/openapi/document.ts declares them) */
  tag: string;
  summary: string;
  description?: string;
  /** the success answer: reply()'s status */
  success: {
    status: 200 | 201 | 204;
    description: string;
    /** its body, request_id included (none for a 204); built on first call, as the functions never
     * validate their own answers */
    body?: () => z.ZodMiniType;
    /** the body's component name when not `${name}Response` (one schema serving several operations) */
    component?: string;
  };
  /** the request body's component name when not `${name}RequestBody` */
  requestBody?: string;
  /** a body the operation takes (its schema accepts it): the document's example, and the sample the
   * tests that cover every operation send */
  example?: object;
  /** error responses of lib/openapi/errors.ts, by name, for what only this operation answers: each
   * replaces the derived response of its status or adds one */
  errors?: readonly string[];
}

/** A body member the CLI fills from an option of its own. */
export interface CliBodyOption {
  /** the option, without its dashes: `name` is --name */
  option: string;
  /** the member it fills, dotted: `client_ca_certificate.content` */
  field: string;
  /** how the help shows its value: `N`, `ca.pem` */
  value: string;
  /** the option names a file whose text is the member's value (else the option's text is) */
  fromFile?: boolean;
  required?: boolean;
  /** the only values it takes */
  choices?: readonly string[];
}

/** How the CLI prints a success. Every `say` is a template: `{a.b}` is the reply's member (the call fails
 * as an unexpected response when it is missing), `{--x}` the option's value; the CLI appends
 * ` (request <id>)`. */
export type CliDone =
  /** one line; noContent: the success is a 204 without a body (any other success needs a JSON object) */
  | { say: string; noContent?: boolean }
  /** aligned `field  value` lines of the reply (or of its member `of`; a fact may be dotted: `eip.ip_address`),
   * then `say`; the first fact must be there */
  | { facts: readonly string[]; of?: string; say: string }
  /** a table of the reply's array `rows`, then `<count> of <total> <noun>`, and `next page: --<option> <marker>` */
  | {
      table: {
        rows: string;
        /** the header and the row member of each column; an array member is shown joined by commas */
        columns: readonly (readonly [header: string, field: string])[];
        noun: string;
        total?: string;
        next?: { field: string; option: string };
      };
    }
  /** the reply's string member printed as it came, or written to the file of the option `output.option` */
  | { text: string; output?: { option: string; value: string; say: string } };

/** The `done` of a list that pages with limit and marker: a table of the reply's `rows`, the total, and
 * the next page's --marker. */
export const pagedTable = (rows: string, noun: string, columns: readonly (readonly [header: string, field: string])[]) =>
  ({ table: { rows, columns, noun, total: 'total_count', next: { field: 'page_info.next_marker', option: 'marker' } } }) as const satisfies CliDone;

/** The CLI's view of an operation, plain JSON data (lib/cli/commands.json carries it: the CLI bundle has
 * neither zod nor the use cases). Without it an operation is still a command: its name in kebab case,
 * `--file` for a JSON body, and the reply printed as JSON. */
export interface OperationCli {
  /** the CONTRACT.md section; the help lists the commands in section order */
  section?: string;
  /** other command names; several operations may share one: the one whose ids are all given runs */
  aliases?: readonly string[];
  /** options that fill the body; none and a JSON body: --file gives the whole body */
  bodyOptions?: readonly CliBodyOption[];
  done?: CliDone;
  /** one line of the help about the command */
  note?: string;
}

export interface Operation<Command = never, Result = never> {
  name: string;
  method: HttpMethod;
  /** the template under the API's root, `{name}` for each id */
  path: string;
  body: BodyRule;
  /** the body's schema: its members are the event payload's body fields */
  bodySchema?: z.ZodMiniObject;
  /** the query parameters it reads (the event payload's too) */
  query?: readonly string[];
  /** takes X-Client-Token (client_token in events; the SQS message id when absent) */
  clientToken?: boolean;
  cli?: OperationCli;
  parse(request: OperationRequest): Command;
  run(command: Command, ports: ServicePorts, signal?: AbortSignal): Promise<Result> | Result;
  reply(result: Result): Reply;
  docs: OperationDocs;
}

/** An entry as the adapters hold it: its own command and result types are the entry's business. */
export type AnyOperation = Operation<unknown, unknown>;

/** Keeps an entry's types checked where it is written and hands the adapters the erased view. */
export const defineOperation = <Command, Result>(operation: Operation<Command, Result>): AnyOperation => operation;

const PATH_ID = /\{([a-z0-9_]+)\}/g;

/** The ids a path template names, in order. */
export const pathIdsOf = (path: string): string[] => [...path.matchAll(PATH_ID)].map((match) => match[1]!);

/** The body's top-level members (the event payload carries them beside the ids). */
export const bodyFieldsOf = (operation: AnyOperation): string[] => (operation.bodySchema ? Object.keys(operation.bodySchema.shape) : []);

/** project_id is a project id; every other id of a path is a UUID, answered in lower case. */
const idSchema = (name: string) => (name === 'project_id' ? projectIdSchema : uuidSchema);

const idSchemas = new Map<string, z.ZodMiniObject>();
const idsSchemaOf = (names: readonly string[]): z.ZodMiniObject => {
  const key = names.join('/');
  let schema = idSchemas.get(key);
  if (!schema) idSchemas.set(key, (schema = z.strictObject(Object.fromEntries(names.map((name) => [name, idSchema(name)])))));
  return schema;
};

/** The operation's path ids from an adapter's values: 400 VPN.0001 naming every bad one. */
export function parseIds(operation: AnyOperation, values: Readonly<Record<string, unknown>>): Record<string, string> {
  const names = pathIdsOf(operation.path);
  const schema = idsSchemaOf(names);
  const ids = parseOrThrow(schema, Object.fromEntries(names.map((name) => [name, values[name]]))) as Record<string, string>;
  return Object.fromEntries(names.map((name) => [name, name === 'project_id' ? ids[name]! : lowercaseId(ids[name]!)]));
}

/** The operation's parser, its use case and its reply, in that order. */
export async function perform(operation: AnyOperation, request: OperationRequest, ports: ServicePorts, signal?: AbortSignal): Promise<Reply> {
  const command = operation.parse(request);
  return operation.reply(await operation.run(command, ports, signal));
}
