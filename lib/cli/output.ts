/** An HTTP response as what the CLI prints (and writes) and its exit code. */
import type { CliDone } from '../operations/operation';
import type { Command } from './parse';

type Json = Record<string, unknown>;

export interface Output {
  exitCode: number;
  stdout?: string;
  stderr?: string;
  /** to write before printing: an --output file */
  file?: { path: string; content: string };
}

/** What a success prints, and the file it writes. */
interface Done {
  /** printed followed by a newline */
  stdout: string;
  file?: { path: string; content: string };
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '-');
const isText = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number';

/** The member at a dotted path; undefined where the path ends early. */
const member = (source: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), source);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** A `say` template filled from the reply and the options; undefined when a reply member is missing. */
function fill(template: string, command: Command, body: Json | undefined): string | undefined {
  let missing = false;
  const filled = template.replace(/\{(--)?([\w.-]+)\}/g, (_, option: string | undefined, name: string) => {
    const value = option ? command.options[name] : member(body, name);
    if (!isText(value)) missing = true;
    return text(value);
  });
  return missing ? undefined : filled;
}

type TableDone = Extract<CliDone, { table: unknown }>['table'];

function listing(spec: TableDone, body: Json, requestId: string): string | undefined {
  const rows = body[spec.rows];
  if (!Array.isArray(rows)) return undefined;
  if (rows.length === 0) return `no ${spec.noun} (request ${requestId})`;
  const cells = rows.filter(isObject).map((row) =>
    spec.columns.map(([, field]) => {
      const value = row[field];
      return Array.isArray(value) ? value.map(text).join(',') : text(value);
    }),
  );
  const count = spec.total === undefined ? `${rows.length}` : `${rows.length} of ${text(body[spec.total])}`;
  const lines = [table([spec.columns.map(([header]) => header), ...cells]), `${count} ${spec.noun} (request ${requestId})`];
  const next = spec.next && member(body, spec.next.field);
  if (spec.next && typeof next === 'string') lines.push(`next page: --${spec.next.option} ${next}`);
  return lines.join('\n');
}

/** What a 2xx prints; undefined: the response is not what the API gives, and the call fails. */
function done(command: Command, body: Json | undefined, requestId: string): Done | undefined {
  const spec = command.operation.entry.cli.done;
  const summary = (template: string) => {
    const line = fill(template, command, body);
    return line === undefined ? undefined : `${line} (request ${requestId})`;
  };
  if (spec === undefined) {
    // no print of its own: the reply as JSON, or a plain line for an empty one
    const { request_id: _id, ...rest } = body ?? {};
    return { stdout: Object.keys(rest).length > 0 ? JSON.stringify(rest, null, 2) : `done (request ${requestId})` };
  }
  if ('say' in spec && !('facts' in spec)) {
    if (body === undefined && !spec.noContent) return undefined;
    const stdout = summary(spec.say);
    return stdout === undefined ? undefined : { stdout };
  }
  if (body === undefined) return undefined;
  if ('facts' in spec) {
    const source = spec.of === undefined ? body : body[spec.of];
    const last = summary(spec.say);
    if (!isObject(source) || !isText(member(source, spec.facts[0]!)) || last === undefined) return undefined;
    return { stdout: [table(spec.facts.map((field) => [field, text(member(source, field))])), last].join('\n') };
  }
  if ('table' in spec) {
    const stdout = listing(spec.table, body, requestId);
    return stdout === undefined ? undefined : { stdout };
  }
  const content = body[spec.text];
  if (typeof content !== 'string') return undefined;
  const path = spec.output && command.options[spec.output.option];
  if (spec.output && path !== undefined) {
    const stdout = summary(spec.output.say);
    return stdout === undefined ? undefined : { stdout, file: { path, content } };
  }
  // stdout adds a newline: drop the text's last one so that `> client.ovpn` gets the exact text.
  return { stdout: content.endsWith('\n') ? content.slice(0, -1) : content };
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
  // A body that is there but not a JSON object is not the API's; only an empty one may be (a 204).
  if (status >= 200 && status < 300 && (body !== undefined || bodyText === '')) {
    const success = done(command, body, text(body?.request_id ?? requestIdHeader ?? undefined));
    if (success !== undefined) {
      const file = success.file === undefined ? {} : { file: success.file };
      if (!command.json) return { exitCode: 0, stdout: success.stdout, ...file };
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
