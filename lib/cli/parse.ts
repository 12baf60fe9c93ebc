/** argv and the environment to a command: which operation, its options, the endpoint and credentials. */
import { parseArgs } from 'node:util';
import { COMMANDS, kebabCase, optionsOf, type Commands, type CommandSpec } from './commands';

export class UsageError extends Error {}

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

export type Env = Record<string, string | undefined>;

/** A parsed command. */
export interface Command {
  /** the name as given: the operation's in kebab case, or an alias */
  name: string;
  operation: CommandSpec;
  endpoint: URL;
  /** undefined: use the local demo credentials */
  credentials: Credentials | undefined;
  json: boolean;
  /** print the signed request as a curl command instead of sending it */
  curl: boolean;
  /** the operation's options as given, by name without dashes (project, gateway, limit, name, ...) */
  options: Readonly<Record<string, string>>;
}

type ParsedArgs = { name: 'help' } | Command;

const COMMON = {
  endpoint: { type: 'string' },
  ak: { type: 'string' },
  sk: { type: 'string' },
  json: { type: 'boolean' },
  curl: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const listed = (options: readonly string[]): string =>
  options.map((option) => `--${option}`).join(options.length === 2 ? ' and ' : ', ');

/** Of the operations sharing a name, the one whose ids are all given (the most of them), else the one with the fewest. */
function choose(specs: readonly CommandSpec[], given: (option: string) => boolean): CommandSpec {
  const byIds = [...specs].sort((a, b) => b.idOptions.length - a.idOptions.length);
  return byIds.find((spec) => spec.idOptions.every(([, option]) => given(option))) ?? byIds.at(-1)!;
}

export function parseCommand(argv: readonly string[], env: Env, commands: Commands = COMMANDS): ParsedArgs {
  const own = [...new Set([...commands.values()].flat().flatMap((spec) => spec.options.map((option) => option.name)))];
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...Object.fromEntries(own.map((name) => [name, { type: 'string' as const }])), ...COMMON },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError('no command given');
  const specs = commands.get(name);
  if (!specs) throw new UsageError(`unknown command ${name}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);

  const given = new Map<string, string>();
  for (const [option, value] of Object.entries(values)) {
    if (typeof value === 'string' && !Object.hasOwn(COMMON, option)) given.set(option, value);
  }
  const spec = choose(specs, (option) => given.has(option));
  const allowed = optionsOf(specs).map((option) => option.name);
  const misplaced = [...given.keys()].find((option) => !allowed.includes(option));
  if (misplaced) throw new UsageError(`--${misplaced} does not apply to ${name}`);
  const ownNames = spec.options.map((option) => option.name);
  const others = allowed.filter((option) => !ownNames.includes(option));
  if (others.some((option) => given.has(option))) {
    // list-vpn-servers --gateway G --limit 2: --limit is the project listing's
    const owner = specs.find((other) => other !== spec && others.some((option) => other.options.some((own) => own.name === option)))!;
    const distinct = spec.idOptions.map(([, option]) => option).filter((option) => !specs.every((other) => other.idOptions.some(([, own]) => own === option)));
    const [verb, apply] = others.length === 1 ? ['is', 'it does'] : ['are', 'they do'];
    throw new UsageError(`${listed(others)} ${verb} ${kebabCase(owner.entry.name)}'s: ${apply} not apply with ${listed(distinct)}`);
  }

  const endpoint = parseEndpoint(values.endpoint ?? (env.VPN_ENDPOINT || `http://localhost:${env.PORT || '3000'}`));
  const credentials = resolveCredentials(values.ak ?? env.HUAWEICLOUD_SDK_AK, values.sk ?? env.HUAWEICLOUD_SDK_SK);
  for (const option of spec.options) {
    if (option.required && !given.get(option.name)) throw new UsageError(`${name} needs --${option.name}`);
  }
  for (const { option, choices } of spec.bodyOptions) {
    const value = given.get(option);
    if (choices && value !== undefined && !choices.includes(value)) throw new UsageError(`--${option} must be one of ${choices.join(', ')}`);
  }
  return { name, operation: spec, endpoint, credentials, json: values.json ?? false, curl: values.curl ?? false, options: Object.fromEntries(given) };
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
