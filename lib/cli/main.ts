import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '../auth/signing';

export const DEMO_SEED_PATH = join(__dirname, '..', 'local', 'demo-seed.json');

const OPTIONS = {
  project: { type: 'string' },
  gateway: { type: 'string' },
  server: { type: 'string' },
  ca: { type: 'string' },
  file: { type: 'string' },
  certificate: { type: 'string' },
  name: { type: 'string' },
  'client-token': { type: 'string' },
  limit: { type: 'string' },
  marker: { type: 'string' },
  'os-type': { type: 'string' },
  output: { type: 'string' },
  endpoint: { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
/** The options a command can take (--project, which every command needs, and the common ones aside). */
type CommandOption = Exclude<OptionName, 'project' | 'endpoint' | 'ak' | 'sk' | 'json' | 'help'>;
const COMMON: readonly OptionName[] = ['project', 'endpoint', 'ak', 'sk', 'json', 'help'];

/** The Command field each option fills, and how the help shows its value. */
const FIELDS = {
  gateway: ['gatewayId', 'G'],
  server: ['serverId', 'ID'],
  ca: ['caId', 'CAID'],
  file: ['file', 'body.json'],
  certificate: ['certificate', 'ca.pem'],
  name: ['caName', 'N'],
  'client-token': ['clientToken', 'UUID'],
  limit: ['limit', 'N'],
  marker: ['marker', 'M'],
  'os-type': ['osType', 'OS'],
  output: ['output', 'FILE'],
} as const satisfies Record<CommandOption, readonly [string, string]>;

type Field<O extends CommandOption> = (typeof FIELDS)[O][0];
// A field named like a Command property (name, endpoint, ...) would silently merge with it: this line stops compiling.
const _fieldsAreTheirOwn: [Extract<Field<CommandOption>, keyof CommonOptions | 'name' | 'projectId'>] extends [never] ? true : never = true;

const OS_TYPES = ['Windows', 'Linux', 'MacOS', 'Android', 'iOS'];

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

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Json = Record<string, unknown>;

/** A 2xx response as a command's formatter sees it. */
interface Reply {
  /** the body when it is a JSON object; undefined when it is empty (the 204 of delete-client-ca) */
  body: Json | undefined;
  /** the body's request_id, else the X-Request-Id header, else '-' */
  requestId: string;
}

/** What a successful call prints, and the file it writes (export-client-config --output). */
interface Done {
  /** printed followed by a newline */
  stdout: string;
  file?: { path: string; content: string };
}

/** Reads a file named on the command line (relative to where the user ran the CLI). */
type ReadFile = (path: string) => Promise<Uint8Array>;

/** A command's arguments: the project, its required options' fields, maybe its optional ones'. */
type Args<R extends CommandOption, O extends CommandOption> = { readonly projectId: string } & {
  readonly [K in R as Field<K>]: string;
} & { readonly [K in O as Field<K>]?: string };

/** Any command's arguments, as the table's shared code handles them. */
type AnyArgs = { readonly projectId: string } & { readonly [K in CommandOption as Field<K>]?: string };

/** One entry of the command table. Paths are segments under /v5/{project_id}/, each percent-encoded when sent. */
interface CommandSpec<R extends CommandOption, O extends CommandOption> {
  required: readonly R[];
  optional: readonly O[];
  method: Method;
  path: (args: Args<R, O>) => readonly string[];
  query?: (args: Args<R, O>) => Record<string, string>;
  /** headers of the command's own, signed with the rest (X-Client-Token) */
  headers?: (args: Args<R, O>) => Record<string, string>;
  /** the body's bytes, sent and signed exactly so, with Content-Type: application/json; none: no body */
  body?: (args: Args<R, O>, read: ReadFile) => Promise<Uint8Array>;
  /** usage rules beyond the required and allowed options; throws UsageError */
  check?: (args: Args<R, O>) => void;
  /** what a 2xx prints; undefined: the response is not what the API gives, and the call fails */
  done: (args: Args<R, O>, reply: Reply) => Done | undefined;
}

/** A table entry as the shared code calls it: the same functions over AnyArgs. */
interface CommandDef {
  required: readonly CommandOption[];
  optional: readonly CommandOption[];
  method: Method;
  path: (args: AnyArgs) => readonly string[];
  query: (args: AnyArgs) => Record<string, string>;
  headers: (args: AnyArgs) => Record<string, string>;
  body: ((args: AnyArgs, read: ReadFile) => Promise<Uint8Array>) | undefined;
  check: (args: AnyArgs) => void;
  done: (args: AnyArgs, reply: Reply) => Done | undefined;
}

/** Keeps an entry's own argument types (Command is derived from them) and gives the shared view of it. */
function defineCommand<const R extends CommandOption, const O extends CommandOption>(
  spec: CommandSpec<R, O>,
): CommandDef & { required: readonly R[]; optional: readonly O[] } {
  // The shared code only passes an entry a Command of that entry's name, whose fields parseCommand checked.
  const own = (args: AnyArgs) => args as Args<R, O>;
  const { body } = spec;
  return {
    required: spec.required,
    optional: spec.optional,
    method: spec.method,
    path: (args) => spec.path(own(args)),
    query: (args) => spec.query?.(own(args)) ?? {},
    headers: (args) => spec.headers?.(own(args)) ?? {},
    body: body && ((args, read) => body(own(args), read)),
    check: (args) => spec.check?.(own(args)),
    done: (args, reply) => spec.done(own(args), reply),
  };
}

const SERVERS = ['p2c-vpn-gateways', 'vpn-servers'];
const CLIENT_CAS = 'client-ca-certificates';

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '-');
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const clientToken = (args: { readonly clientToken?: string }): Record<string, string> =>
  args.clientToken === undefined ? {} : { 'X-Client-Token': args.clientToken };

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `{"client_ca_certificate": {"name"?, "content"}}` with the PEM file's text, for import and check. */
async function caBody(args: { readonly certificate: string; readonly caName?: string }, read: ReadFile): Promise<Uint8Array> {
  const content = new TextDecoder().decode(await read(args.certificate));
  return json({ client_ca_certificate: { ...(args.caName === undefined ? {} : { name: args.caName }), content } });
}

const CERTIFICATE_FACTS = ['name', 'issuer', 'subject', 'serial_number', 'expiration_time', 'signature_algorithm'];

/** One aligned `field  value` line per fact, then the summary line. */
const facts = (source: Json, fields: readonly string[], summary: string): string =>
  [table(fields.map((field) => [field, text(source[field])])), summary].join('\n');

function listing(body: Json, requestId: string): string | undefined {
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

/** The commands: contract sections 3, 4 and 10. */
const COMMANDS = {
  'create-vpn-server': defineCommand({
    required: ['gateway', 'file'],
    optional: ['client-token'],
    method: 'POST',
    path: (args) => ['p2c-vpn-gateways', args.gatewayId, 'vpn-servers'],
    headers: clientToken,
    body: (args, read) => read(args.file),
    done: (_, { body, requestId }) => {
      const server = body?.vpn_server;
      return isObject(server) && typeof server.id === 'string'
        ? { stdout: `created vpn server ${server.id} (request ${requestId})` }
        : undefined;
    },
  }),
  'list-vpn-servers': defineCommand({
    required: [],
    optional: ['gateway', 'limit', 'marker'],
    method: 'GET',
    path: (args) => (args.gatewayId === undefined ? ['vpn-servers'] : ['p2c-vpn-gateways', args.gatewayId, 'vpn-servers']),
    query: (args) => ({
      ...(args.limit === undefined ? {} : { limit: args.limit }),
      ...(args.marker === undefined ? {} : { marker: args.marker }),
    }),
    check: (args) => {
      if (args.gatewayId !== undefined && (args.limit !== undefined || args.marker !== undefined)) {
        throw new UsageError('--limit and --marker page the project listing; they do not apply with --gateway');
      }
    },
    done: (_, { body, requestId }) => {
      const stdout = body && listing(body, requestId);
      return stdout === undefined ? undefined : { stdout };
    },
  }),
  'update-vpn-server': defineCommand({
    required: ['server', 'file'],
    optional: [],
    method: 'PUT',
    path: (args) => [...SERVERS, args.serverId],
    body: (args, read) => read(args.file),
    done: (args, { body, requestId }) => body && { stdout: `updated vpn server ${args.serverId} (request ${requestId})` },
  }),
  'import-client-ca': defineCommand({
    required: ['server', 'certificate'],
    optional: ['name', 'client-token'],
    method: 'POST',
    path: (args) => [...SERVERS, args.serverId, CLIENT_CAS],
    headers: clientToken,
    body: caBody,
    done: (args, { body, requestId }) => {
      const ca = body?.client_ca_certificate;
      return isObject(ca) && typeof ca.id === 'string'
        ? { stdout: `imported client ca ${ca.id} into vpn server ${args.serverId} (request ${requestId})` }
        : undefined;
    },
  }),
  'check-client-ca': defineCommand({
    required: ['certificate'],
    optional: ['name'],
    method: 'POST',
    path: () => [...SERVERS, CLIENT_CAS, 'check'],
    body: caBody,
    done: (_, { body, requestId }) =>
      typeof body?.subject === 'string'
        ? { stdout: facts(body, CERTIFICATE_FACTS, `valid as a client ca (request ${requestId})`) }
        : undefined,
  }),
  'show-client-ca': defineCommand({
    required: ['server', 'ca'],
    optional: [],
    method: 'GET',
    path: (args) => [...SERVERS, args.serverId, CLIENT_CAS, args.caId],
    done: (args, { body, requestId }) => {
      const ca = body?.client_ca_certificate;
      if (!isObject(ca) || typeof ca.id !== 'string') return undefined;
      const fields = ['id', ...CERTIFICATE_FACTS, 'created_at', 'updated_at'];
      return { stdout: facts(ca, fields, `client ca of vpn server ${args.serverId} (request ${requestId})`) };
    },
  }),
  'rename-client-ca': defineCommand({
    required: ['server', 'ca', 'name'],
    optional: [],
    method: 'PUT',
    path: (args) => [...SERVERS, args.serverId, CLIENT_CAS, args.caId],
    body: (args) => Promise.resolve(json({ client_ca_certificate: { name: args.caName } })),
    done: (args, { body, requestId }) =>
      body && { stdout: `renamed client ca ${args.caId} to ${args.caName} (request ${requestId})` },
  }),
  'delete-client-ca': defineCommand({
    required: ['server', 'ca'],
    optional: [],
    method: 'DELETE',
    path: (args) => [...SERVERS, args.serverId, CLIENT_CAS, args.caId],
    // 204 and no body: the request id is the X-Request-Id header's.
    done: (args, { requestId }) => ({ stdout: `deleted client ca ${args.caId} (request ${requestId})` }),
  }),
  'export-client-config': defineCommand({
    required: ['server'],
    optional: ['os-type', 'output'],
    method: 'POST',
    path: (args) => [...SERVERS, args.serverId, 'client-config', 'export'],
    body: (args) => Promise.resolve(json(args.osType === undefined ? {} : { os_type: args.osType })),
    check: (args) => {
      if (args.osType !== undefined && !OS_TYPES.includes(args.osType)) {
        throw new UsageError(`--os-type must be one of ${OS_TYPES.join(', ')}`);
      }
    },
    done: (args, { body, requestId }) => {
      const profile = body?.client_config;
      if (typeof profile !== 'string') return undefined;
      if (args.output !== undefined) {
        return { stdout: `wrote client profile to ${args.output} (request ${requestId})`, file: { path: args.output, content: profile } };
      }
      // stdout adds a newline: drop the profile's last one so that `> client.ovpn` gets the profile's exact text.
      return { stdout: profile.endsWith('\n') ? profile.slice(0, -1) : profile };
    },
  }),
};

type CommandName = keyof typeof COMMANDS;
const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);
const definition = (name: CommandName): CommandDef => COMMANDS[name];

type ArgsOf<D extends { required: readonly CommandOption[]; optional: readonly CommandOption[] }> = Args<
  D['required'][number],
  D['optional'][number]
>;

/** A parsed command: its name, the common options, the project and its own options' fields (FIELDS). */
export type Command = { [N in CommandName]: CommonOptions & { name: N } & ArgsOf<(typeof COMMANDS)[N]> }[CommandName];

const synopsis = ({ required, optional }: CommandDef): string =>
  [
    '--project P',
    ...required.map((option) => `--${option} ${FIELDS[option][1]}`),
    ...optional.map((option) => `[--${option} ${FIELDS[option][1]}]`),
  ].join(' ');

// The options column starts after create-vpn-server (the packed-CLI test reads that line); a longer name pushes its own.
const NAME_WIDTH = 'create-vpn-server'.length;

const USAGE = `Usage: npm run vpn -- <command> [options]

Commands:
${(Object.keys(COMMANDS) as CommandName[]).map((name) => `  ${name.padEnd(NAME_WIDTH)}  ${synopsis(definition(name))}`).join('\n')}

  body.json holds {"vpn_server": {...}} as the API takes it; ca.pem one PEM certificate
  list-vpn-servers: with --gateway the gateway's server; without, the project's servers, paged
  export-client-config: OS ${OS_TYPES.join('|')} (default Windows); prints the OpenVPN
                        profile, or writes it to --output FILE

Options:
  --endpoint URL   default $VPN_ENDPOINT, else http://localhost:$PORT (PORT default 3000)
  --ak AK --sk SK  default $HUAWEICLOUD_SDK_AK / $HUAWEICLOUD_SDK_SK, else the local demo credentials
  --json           print the response body as it came (nothing for delete-client-ca's empty 204)
  -h, --help       print this help`;

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
  if (!isCommandName(name)) throw new UsageError(`unknown command ${name}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const spec = definition(name);

  const allowed: readonly OptionName[] = [...COMMON, ...spec.required, ...spec.optional];
  const misplaced = (Object.keys(values) as OptionName[]).find((option) => !allowed.includes(option));
  if (misplaced) throw new UsageError(`--${misplaced} does not apply to ${name}`);
  const required = (option: 'project' | CommandOption): string => {
    const value = values[option];
    if (value === undefined || value === '') throw new UsageError(`${name} needs --${option}`);
    return value;
  };

  const common: CommonOptions = {
    endpoint: parseEndpoint(values.endpoint ?? (env.VPN_ENDPOINT || `http://localhost:${env.PORT || '3000'}`)),
    credentials: resolveCredentials(values.ak ?? env.HUAWEICLOUD_SDK_AK, values.sk ?? env.HUAWEICLOUD_SDK_SK),
    json: values.json ?? false,
  };
  const args: Record<string, string> = { projectId: required('project') };
  for (const option of spec.required) args[FIELDS[option][0]] = required(option);
  for (const option of spec.optional) {
    const value = values[option];
    if (value !== undefined) args[FIELDS[option][0]] = value;
  }
  spec.check(args as AnyArgs);
  // The entry's required fields are there (checked above) and it allows no others: this is its Command.
  return { ...common, name, ...args } as Command;
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
  method: Method;
  headers: Record<string, string>;
  body?: Uint8Array;
}

/** Builds the signed request; `body` is sent and signed exactly as given (for create and update, the file as read). */
export function buildRequest(command: Command, credentials: Credentials, body: Uint8Array | undefined, now: Date): HttpRequest {
  const base = command.endpoint.pathname.replace(/\/+$/, '');
  const spec = definition(command.name);
  const path = [`${base}/v5`, ...[command.projectId, ...spec.path(command)].map(encodeURIComponent)].join('/');
  const { method } = spec;
  const query = spec.query(command);
  // Host is what fetch sends from the URL (it ignores a Host header); the SDK signs it, so we do too.
  const headers: Record<string, string> = { Host: command.endpoint.host, 'X-Project-Id': command.projectId };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, spec.headers(command));
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
  /** to write before printing: export-client-config --output */
  file?: { path: string; content: string };
}

/** Turns the HTTP response into what the CLI prints (and writes) and its exit code. */
export function formatResponse(command: Command, status: number, bodyText: string, requestIdHeader?: string | null): Output {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const body = isObject(parsed) ? parsed : undefined;
  const raw = command.json ? { stdout: bodyText } : {};
  // A body that is there but not a JSON object is not the API's; only an empty one may be (the 204 of delete).
  if (status >= 200 && status < 300 && (body !== undefined || bodyText === '')) {
    const requestId = text(body?.request_id ?? requestIdHeader ?? undefined);
    const done = definition(command.name).done(command, { body, requestId });
    if (done !== undefined) {
      const file = done.file === undefined ? {} : { file: done.file };
      if (!command.json) return { exitCode: 0, stdout: done.stdout, ...file };
      return { exitCode: 0, ...(bodyText === '' ? {} : raw), ...file };
    }
  }
  if (body !== undefined && typeof body.error_code === 'string') {
    const requestId = text(body.request_id ?? requestIdHeader ?? undefined);
    return { ...raw, exitCode: 1, stderr: `error ${body.error_code}: ${text(body.error_msg)} (request ${requestId})` };
  }
  const excerpt = bodyText.length > 200 ? `${bodyText.slice(0, 200)}...` : bodyText;
  const requestId = requestIdHeader ? ` (request ${requestIdHeader})` : '';
  return { ...raw, exitCode: 1, stderr: `error: unexpected response HTTP ${status}${requestId}: ${excerpt}` };
}

export interface CliIo {
  env: Env;
  /** where relative --file, --certificate and --output paths start */
  cwd: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  readFile: (path: string) => Promise<Uint8Array>;
  writeFile: (path: string, content: string) => Promise<void>;
  now: () => Date;
  /** each call prints its text and a newline */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

async function read(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${reason(error)}`, { cause: error });
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
  // npm run changes the directory to the package root; INIT_CWD is where the user ran it.
  const local = (path: string): string => resolve(io.env.INIT_CWD || io.cwd, path);
  let request: HttpRequest;
  try {
    const credentials = command.credentials ?? demoCredentials(new TextDecoder().decode(await read(io, DEMO_SEED_PATH)));
    const makeBody = definition(command.name).body;
    const body = makeBody && (await makeBody(command, (path) => read(io, local(path))));
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
  if (output.file !== undefined) {
    const path = local(output.file.path);
    try {
      await io.writeFile(path, output.file.content);
    } catch (error) {
      io.stderr(`error: cannot write ${path}: ${reason(error)}`);
      return 1;
    }
  }
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
    writeFile: (path, content) => writeFile(path, content),
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
