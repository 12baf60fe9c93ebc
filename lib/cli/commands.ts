/** The CLI's commands, read off lib/cli/commands.json (the catalogue as plain data, written by
 * manifest.ts): one per operation, named as the operation in kebab case, and its aliases. */
import type { BodyRule, CliBodyOption, OperationCli } from '../operations/operation';
import manifest from './commands.json';

/** An operation as commands.json states it. */
export interface ManifestEntry {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** the template, `{name}` for each id */
  path: string;
  ids: readonly string[];
  query: readonly string[];
  clientToken: boolean;
  body: BodyRule;
  cli: OperationCli;
}

/** The option of each path id; an id not named here becomes its name without `_id` (foo_bar_id: --foo-bar). */
const ID_OPTIONS: Readonly<Record<string, readonly [option: string, value: string]>> = {
  project_id: ['project', 'P'],
  p2c_vgw_id: ['gateway', 'G'],
  vpn_server_id: ['server', 'ID'],
  client_ca_certificate_id: ['ca', 'CAID'],
  user_id: ['user', 'USER'],
  group_id: ['group', 'GROUP'],
  policy_id: ['policy', 'POLICY'],
  connection_id: ['connection', 'CONNECTION'],
};
/** How the help shows a query option's value; others show their name in capitals. */
const QUERY_VALUES: Readonly<Record<string, string>> = { limit: 'N', marker: 'M' };
/** The options every command takes (parse.ts); no operation may take one of these names. */
const COMMON_OPTIONS = ['endpoint', 'ak', 'sk', 'json', 'curl', 'help'];

interface CommandOption {
  name: string;
  /** how the help shows the value */
  value: string;
  required: boolean;
}

/** An operation as a command. */
export interface CommandSpec {
  entry: ManifestEntry;
  /** the operation's name in kebab case */
  name: string;
  /** [path id, option] in the path's order */
  idOptions: readonly (readonly [id: string, option: string])[];
  bodyOptions: readonly CliBodyOption[];
  /** --file gives the whole body: required, optional, or not taken */
  file: 'required' | 'optional' | undefined;
  /** the options it takes (the common ones aside), as the help lists them */
  options: readonly CommandOption[];
}

export const kebabCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

const idOption = (id: string): readonly [string, string] =>
  ID_OPTIONS[id] ?? [id.replace(/_id$/, '').replaceAll('_', '-'), id.replace(/_id$/, '').toUpperCase()];

function specOf(entry: ManifestEntry): CommandSpec {
  const bodyOptions = entry.body === 'none' ? [] : (entry.cli.bodyOptions ?? []);
  const file = entry.body === 'none' || bodyOptions.length > 0 ? undefined : entry.body;
  const { done } = entry.cli;
  const output = done !== undefined && 'text' in done ? done.output : undefined;
  const options: CommandOption[] = [
    ...entry.ids.map((id) => ({ name: idOption(id)[0], value: idOption(id)[1], required: true })),
    ...bodyOptions.filter((option) => option.required).map((option) => ({ name: option.option, value: option.value, required: true })),
    ...(file === 'required' ? [{ name: 'file', value: 'body.json', required: true }] : []),
    ...entry.query.map((name) => ({ name, value: QUERY_VALUES[name] ?? name.toUpperCase(), required: false })),
    ...bodyOptions.filter((option) => !option.required).map((option) => ({ name: option.option, value: option.value, required: false })),
    ...(file === 'optional' ? [{ name: 'file', value: 'body.json', required: false }] : []),
    ...(output ? [{ name: output.option, value: output.value, required: false }] : []),
    ...(entry.clientToken ? [{ name: 'client-token', value: 'UUID', required: false }] : []),
  ];
  const clash = options.find((option) => COMMON_OPTIONS.includes(option.name));
  if (clash) throw new Error(`${entry.name}'s option --${clash.name} is a common option`);
  return { entry, name: kebabCase(entry.name), idOptions: entry.ids.map((id) => [id, idOption(id)[0]]), bodyOptions, file, options };
}

/** Each command name with the operations it runs (several for a shared alias), in section order. */
export type Commands = ReadonlyMap<string, readonly CommandSpec[]>;

const sectionKey = (section: string | undefined): number[] => (section ?? '999').split('.').map(Number);
function bySection(a: ManifestEntry, b: ManifestEntry): number {
  const [left, right] = [sectionKey(a.cli.section), sectionKey(b.cli.section)];
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function commandsOf(entries: readonly ManifestEntry[]): Commands {
  const commands = new Map<string, CommandSpec[]>();
  for (const spec of [...entries].sort(bySection).map(specOf)) {
    for (const name of [spec.name, ...(spec.entry.cli.aliases ?? [])]) {
      commands.set(name, [...(commands.get(name) ?? []), spec]);
    }
  }
  return commands;
}

// The JSON's strings are the literal types above: manifest.ts writes it from the typed catalogue, and a test keeps it so.
export const COMMANDS = commandsOf(manifest as readonly ManifestEntry[]);

/** The options of a command name: required where every operation of it needs them. */
export function optionsOf(specs: readonly CommandSpec[]): CommandOption[] {
  const options = new Map<string, CommandOption>();
  for (const option of specs.flatMap((spec) => spec.options)) {
    const required = specs.every((spec) => spec.options.some((own) => own.name === option.name && own.required));
    options.set(option.name, { ...option, required });
  }
  return [...options.values()];
}

const synopsis = (specs: readonly CommandSpec[]): string =>
  optionsOf(specs)
    .map(({ name, value, required }) => (required ? `--${name} ${value}` : `[--${name} ${value}]`))
    .join(' ');

/** An operation's command line as the help shows it: its name (its first alias, if any) and options. */
export function commandLineOf(commands: Commands, operationName: string): string {
  const spec = [...commands.values()].flat().find((candidate) => candidate.entry.name === operationName);
  if (!spec) throw new Error(`no command for ${operationName}`);
  return `${shownName(spec)} ${synopsis([spec])}`;
}

/** The name the help shows an operation under: its first alias (the name users know), else its own. */
const shownName = (spec: CommandSpec): string => spec.entry.cli.aliases?.[0] ?? spec.name;

// The options column starts at the width the first release's usage had (the packed-CLI test reads that
// line); a longer name pushes its own line's column.
const NAME_WIDTH = 17;

export function usageOf(commands: Commands): string {
  const shown = [...new Set([...commands.values()].flat().map(shownName))];
  const lines = shown.map((name) => `  ${name.padEnd(NAME_WIDTH)}  ${synopsis(commands.get(name)!)}`);
  const notes = shown.flatMap((name) => commands.get(name)!.flatMap((spec) => (spec.entry.cli.note ? [`  ${name}: ${spec.entry.cli.note}`] : [])));
  const renamed = shown.flatMap((name) => {
    const own = commands.get(name)!.map((spec) => spec.name).filter((own) => own !== name);
    return own.length > 0 ? [`  ${name}: ${own.join(', ')}`] : [];
  });
  return `Usage: npm run vpn -- <command> [options]

Commands:
${lines.join('\n')}

  body.json holds the request body as the API takes it ({"vpn_server": {...}} for a server);
  ca.pem one PEM certificate
${notes.join('\n')}
${renamed.length > 0 ? `\nThe operations' own names, in kebab case, work too:\n${renamed.join('\n')}\n` : ''}
Options:
  --endpoint URL   default $VPN_ENDPOINT, else http://localhost:$PORT (PORT default 3000)
  --ak AK --sk SK  default $HUAWEICLOUD_SDK_AK / $HUAWEICLOUD_SDK_SK, else the local demo credentials
  --json           print the response body as it came (nothing for an empty 204)
  --curl           print the signed request as a curl command instead of sending it
                   (its X-Sdk-Date is now: it is good for 15 minutes)
  -h, --help       print this help`;
}
