/** A command as the signed HTTP request the API takes. */
import { signRequest } from '../auth/signing';
import type { Command, Credentials } from './parse';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** Reads a file named on the command line (relative to where the user ran the CLI). */
type ReadFile = (path: string) => Promise<Uint8Array>;

/** Sets `a.b.c` of a JSON object, making the objects on the way. */
function setMember(target: Record<string, unknown>, dotted: string, value: string): void {
  const [last, ...path] = dotted.split('.').reverse() as [string, ...string[]];
  let object = target;
  for (const key of path.reverse()) object = (object[key] ??= {}) as Record<string, unknown>;
  object[last] = value;
}

/** The body's bytes: --file's exactly as read, else the JSON the body options make; undefined: no body. */
export async function readBody(command: Command, read: ReadFile): Promise<Uint8Array | undefined> {
  const { operation, options } = command;
  if (operation.file !== undefined) return options.file === undefined ? undefined : read(options.file);
  if (operation.entry.body === 'none') return undefined;
  const body: Record<string, unknown> = {};
  for (const { option, field, fromFile } of operation.bodyOptions) {
    const value = options[option];
    if (value !== undefined) setMember(body, field, fromFile ? new TextDecoder().decode(await read(value)) : value);
  }
  return new TextEncoder().encode(JSON.stringify(body));
}

/** Builds the signed request; `body` is sent and signed exactly as given (for --file, the file as read). */
export function buildRequest(command: Command, credentials: Credentials, body: Uint8Array | undefined, now: Date): HttpRequest {
  const { entry, idOptions } = command.operation;
  const ids = new Map(idOptions.map(([id, option]) => [id, command.options[option]!]));
  const base = command.endpoint.pathname.replace(/\/+$/, '');
  const segments = entry.path.split('/').map((segment) => {
    const id = /^\{(\w+)\}$/.exec(segment)?.[1];
    return encodeURIComponent(id === undefined ? segment : ids.get(id)!);
  });
  const path = `${base}${segments.join('/')}`;
  const query = Object.fromEntries(entry.query.flatMap((name) => (command.options[name] === undefined ? [] : [[name, command.options[name]]])));
  const projectId = ids.get('project_id')!;
  // Host is what fetch sends from the URL (it ignores a Host header); the SDK signs it, so we do too.
  const headers: Record<string, string> = { Host: command.endpoint.host, 'X-Project-Id': projectId };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const clientToken = command.options['client-token'];
  if (clientToken !== undefined) headers['X-Client-Token'] = clientToken;
  const signed = signRequest({ method: entry.method, path, query, headers, body: body ?? '' }, credentials, now);
  // encodeURIComponent, not URLSearchParams: a '+' for a space is not decoded as one everywhere.
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return {
    url: `${command.endpoint.origin}${path}${search ? `?${search}` : ''}`,
    method: entry.method,
    headers: { ...headers, ...signed },
    ...(body === undefined ? {} : { body }),
  };
}

/** One shell word, single-quoted. */
const quoted = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** The signed request as a curl command that sends exactly these bytes (Host comes from the URL). */
export function curlOf(request: HttpRequest): string {
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'Host')
    .map(([name, value]) => `-H ${quoted(`${name}: ${value}`)}`);
  const body = request.body === undefined ? [] : [`--data-binary ${quoted(new TextDecoder().decode(request.body))}`];
  return [`curl -X ${request.method} ${quoted(request.url)}`, ...headers, ...body].join(' \\\n  ');
}
