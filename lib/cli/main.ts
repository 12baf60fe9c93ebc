import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '../auth/signing';

const USAGE = `Usage: npm run vpn -- <command> [options]

Commands:
  create-vpn-server  --project P --gateway G --file body.json [--client-token UUID]
                     body.json holds {"vpn_server": {...}} as the API takes it
  list-vpn-servers   --project P [--gateway G] [--limit N] [--marker M]
                     with --gateway: the gateway's server; without: the project's servers, paged

Options:
  --endpoint URL   default $VPN_ENDPOINT, else http://localhost:$PORT (PORT default 3000)
  --ak AK --sk SK  default $HUAWEICLOUD_SDK_AK / $HUAWEICLOUD_SDK_SK, else the local demo credentials
  --json           print the response body as it came
  -h, --help       print this help`;

export const DEMO_SEED_PATH = join(__dirname, '..', 'local', 'demo-seed.json');

const OPTIONS = {
  project: { type: 'string' },
  gateway: { type: 'string' },
  file: { type: 'string' },
  'client-token': { type: 'string' },
  limit: { type: 'string' },
  marker: { type: 'string' },
  endpoint: { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
const COMMON: readonly OptionName[] = ['endpoint', 'ak', 'sk', 'json', 'help'];
const ALLOWED: Record<Command['name'], readonly OptionName[]> = {
  'create-vpn-server': [...COMMON, 'project', 'gateway', 'file', 'client-token'],
  'list-vpn-servers': [...COMMON, 'project', 'gateway', 'limit', 'marker'],
};

export class UsageError extends Error {}

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

interface CommonOptions {
  endpoint: URL;
  /** undefined: use the local demo credentials */
  credentials: Credentials | undefined;
  json: boolean;
}

export type Command =
  | (CommonOptions & { name: 'create-vpn-server'; projectId: string; gatewayId: string; file: string; clientToken?: string })
  | (CommonOptions & { name: 'list-vpn-servers'; projectId: string; gatewayId?: string; limit?: string; marker?: string });

export type Env = Record<string, string | undefined>;

export type ParsedArgs = { name: 'help' } | Command;

export function parseCommand(argv: readonly string[], env: Env): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError('no command given');
  if (name !== 'create-vpn-server' && name !== 'list-vpn-servers') throw new UsageError(`unknown command ${name}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);

  const misplaced = (Object.keys(values) as OptionName[]).find((option) => !ALLOWED[name].includes(option));
  if (misplaced) throw new UsageError(`--${misplaced} does not apply to ${name}`);
  const required = (option: 'project' | 'gateway' | 'file'): string => {
    const value = values[option];
    if (value === undefined || value === '') throw new UsageError(`${name} needs --${option}`);
    return value;
  };

  const common: CommonOptions = {
    endpoint: parseEndpoint(values.endpoint ?? (env.VPN_ENDPOINT || `http://localhost:${env.PORT || '3000'}`)),
    credentials: resolveCredentials(values.ak ?? env.HUAWEICLOUD_SDK_AK, values.sk ?? env.HUAWEICLOUD_SDK_SK),
    json: values.json ?? false,
  };
  if (name === 'create-vpn-server') {
    return {
      ...common,
      name,
      projectId: required('project'),
      gatewayId: required('gateway'),
      file: required('file'),
      ...(values['client-token'] === undefined ? {} : { clientToken: values['client-token'] }),
    };
  }
  if (values.gateway !== undefined && (values.limit !== undefined || values.marker !== undefined)) {
    throw new UsageError('--limit and --marker page the project listing; they do not apply with --gateway');
  }
  return {
    ...common,
    name,
    projectId: required('project'),
    ...(values.gateway === undefined ? {} : { gatewayId: values.gateway }),
    ...(values.limit === undefined ? {} : { limit: values.limit }),
    ...(values.marker === undefined ? {} : { marker: values.marker }),
  };
}

function parseEndpoint(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--endpoint ${value} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--endpoint must be http or https`);
  return url;
}

function resolveCredentials(accessKey: string | undefined, secretKey: string | undefined): Credentials | undefined {
  if (!accessKey && !secretKey) return undefined;
  if (!accessKey || !secretKey) {
    throw new UsageError('give both an AK and an SK (--ak/--sk or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)');
  }
  return { accessKey, secretKey };
}

/** The first credential of the local stack's seed file (CONTRACT.md section 8). */
function demoCredentials(seedText: string): Credentials {
  const first = (JSON.parse(seedText) as { credentials?: { access_key?: unknown; secret_key?: unknown }[] }).credentials?.[0];
  if (typeof first?.access_key !== 'string' || typeof first.secret_key !== 'string') {
    throw new Error('the demo seed file has no credentials[0]');
  }
  return { accessKey: first.access_key, secretKey: first.secret_key };
}

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** Builds the signed request; `body` is the file's bytes for create, sent and signed exactly as read. */
export function buildRequest(command: Command, credentials: Credentials, body: Uint8Array | undefined, now: Date): HttpRequest {
  const base = command.endpoint.pathname.replace(/\/+$/, '');
  const project = encodeURIComponent(command.projectId);
  const query: Record<string, string> = {};
  let path: string;
  if (command.gatewayId !== undefined) {
    path = `${base}/v5/${project}/p2c-vpn-gateways/${encodeURIComponent(command.gatewayId)}/vpn-servers`;
  } else {
    path = `${base}/v5/${project}/vpn-servers`;
  }
  if (command.name === 'list-vpn-servers') {
    if (command.limit !== undefined) query.limit = command.limit;
    if (command.marker !== undefined) query.marker = command.marker;
  }
  const method = command.name === 'create-vpn-server' ? 'POST' : 'GET';
  // Host is what fetch sends from the URL (it ignores a Host header); the SDK signs it, so we do too.
  const headers: Record<string, string> = { Host: command.endpoint.host, 'X-Project-Id': command.projectId };
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  if (command.name === 'create-vpn-server' && command.clientToken !== undefined) {
    headers['X-Client-Token'] = command.clientToken;
  }
  const signed = signRequest({ method, path, query, headers, body: body ?? '' }, credentials, now);
  // encodeURIComponent, not URLSearchParams: a '+' for a space is not decoded as one everywhere.
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return {
    url: `${command.endpoint.origin}${path}${search ? `?${search}` : ''}`,
    method,
    headers: { ...headers, ...signed },
    ...(body === undefined ? {} : { body }),
  };
}

export interface Output {
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '-');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

function formatSuccess(command: Command, body: Json): string | undefined {
  const requestId = text(body.request_id);
  if (command.name === 'create-vpn-server') {
    const server = body.vpn_server;
    return isObject(server) && typeof server.id === 'string'
      ? `created vpn server ${server.id} (request ${requestId})`
      : undefined;
  }
  const servers = body.vpn_servers;
  if (!Array.isArray(servers)) return undefined;
  if (servers.length === 0) return `no vpn servers (request ${requestId})`;
  const rows = servers.filter(isObject).map((server) => [
    text(server.id),
    text(server.p2c_vgw_id),
    text(server.client_cidr),
    Array.isArray(server.local_subnets) ? server.local_subnets.map(text).join(',') : '-',
    text(server.client_auth_type),
    text(server.status),
  ]);
  const lines = [table([['ID', 'GATEWAY', 'CLIENT_CIDR', 'LOCAL_SUBNETS', 'AUTH', 'STATUS'], ...rows])];
  lines.push(`${servers.length} of ${text(body.total_count)} vpn servers (request ${requestId})`);
  const nextMarker = isObject(body.page_info) ? body.page_info.next_marker : undefined;
  if (typeof nextMarker === 'string') lines.push(`next page: --marker ${nextMarker}`);
  return lines.join('\n');
}

/** Turns the HTTP response into what the CLI prints and its exit code. */
export function formatResponse(command: Command, status: number, bodyText: string, requestIdHeader?: string | null): Output {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const raw = command.json ? { stdout: bodyText } : {};
  if (status >= 200 && status < 300 && isObject(body)) {
    const formatted = command.json ? bodyText : formatSuccess(command, body);
    if (formatted !== undefined) return { exitCode: 0, stdout: formatted };
  }
  if (isObject(body) && typeof body.error_code === 'string') {
    const requestId = text(body.request_id ?? requestIdHeader ?? undefined);
    return { ...raw, exitCode: 1, stderr: `error ${body.error_code}: ${text(body.error_msg)} (request ${requestId})` };
  }
  const excerpt = bodyText.length > 200 ? `${bodyText.slice(0, 200)}...` : bodyText;
  const requestId = requestIdHeader ? ` (request ${requestIdHeader})` : '';
  return { ...raw, exitCode: 1, stderr: `error: unexpected response HTTP ${status}${requestId}: ${excerpt}` };
}

export interface CliIo {
  env: Env;
  /** where relative --file paths start */
  cwd: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  readFile: (path: string) => Promise<Uint8Array>;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

async function read(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** Runs one CLI invocation and returns the exit code: 0 success, 1 failed call, 2 usage error. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ParsedArgs;
  try {
    command = parseCommand(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message} (see --help)`);
    return 2;
  }
  if (command.name === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  let request: HttpRequest;
  try {
    const credentials = command.credentials ?? demoCredentials(new TextDecoder().decode(await read(io, DEMO_SEED_PATH)));
    // npm run changes the directory to the package root; INIT_CWD is where the user ran it.
    const body = command.name === 'create-vpn-server' ? await read(io, resolve(io.env.INIT_CWD || io.cwd, command.file)) : undefined;
    request = buildRequest(command, credentials, body, io.now());
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}`);
    return 1;
  }
  let response: Response;
  let bodyText: string;
  try {
    response = await io.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    bodyText = await response.text();
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    io.stderr(`error: cannot reach ${command.endpoint.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    return 1;
  }
  const output = formatResponse(command, response.status, bodyText, response.headers.get('x-request-id'));
  if (output.stdout !== undefined) io.stdout(output.stdout);
  if (output.stderr !== undefined) io.stderr(output.stderr);
  return output.exitCode;
}

/** The process entry point: `npm run vpn -- ...` and the `p2c-vpn` bin (lib/cli/bin.ts). */
export function main(): void {
  void run(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    fetch: (url, init) => fetch(url, init),
    readFile: (path) => readFile(path),
    now: () => new Date(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

