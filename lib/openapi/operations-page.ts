/** The reference part of docs/operations.md, written from the catalogue: every operation with its
 * request, its rules as the OpenAPI document states them, its CLI command, its signed curl form (the
 * CLI's --curl) and its event payload. `npm run docs:operations`; test/unit/operations-page.test.ts
 * fails when the committed page is not what this writes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, commandLineOf } from '../cli/commands';
import { OPERATIONS } from '../operations/catalogue';
import { bodyFieldsOf, pathIdsOf, type AnyOperation } from '../operations/operation';

export const OPERATIONS_PAGE = join(__dirname, '../../docs/operations.md');
const BEGIN = '<!-- reference: written by npm run docs:operations from lib/operations/catalogue.ts -->';
const END = '<!-- end of reference -->';

/** ids as placeholders the reader replaces */
const PLACEHOLDER: Readonly<Record<string, string>> = { project_id: '$PROJECT', vpn_server_id: '$SERVER', p2c_vgw_id: '$GATEWAY', client_ca_certificate_id: '$CA', user_id: '$USER', group_id: '$GROUP', policy_id: '$POLICY' };
/** the CLI's id options with the placeholders instead of their value names */
const ID_OPTIONS: Readonly<Record<string, string>> = {
  '--project P': '--project $PROJECT',
  '--server ID': '--server $SERVER',
  '--gateway G': '--gateway $GATEWAY',
  '--ca CAID': '--ca $CA',
  '--user USER': '--user $USER',
  '--group GROUP': '--group $GROUP',
  '--policy POLICY': '--policy $POLICY',
};
const placeholder = (id: string) => PLACEHOLDER[id] ?? `$${id.toUpperCase()}`;

function eventPayload(operation: AnyOperation): string {
  const ids = pathIdsOf(operation.path).map((id) => `"${id}": "${placeholder(id)}"`);
  const query = (operation.query ?? []).map((name) => `"${name}"?`);
  const example = operation.docs.example as Record<string, unknown> | undefined;
  const body = bodyFieldsOf(operation).map((field) => (example?.[field] !== undefined ? `"${field}": ${JSON.stringify(example[field])}` : `"${field}"?`));
  const token = operation.clientToken ? ['"client_token"?'] : [];
  return `{${[`"action": "${operation.name}"`, ...ids, ...query, ...token, ...body].join(', ')}}`;
}

function section(operation: AnyOperation): string {
  const { docs } = operation;
  const request = `\`${operation.method} ${operation.path}\`${operation.clientToken ? ' (`X-Client-Token`)' : ''}`;
  const command = Object.entries(ID_OPTIONS).reduce((line, [option, value]) => line.replace(option, value), commandLineOf(COMMANDS, operation.name));
  const lines = [
    `### ${operation.name}`,
    '',
    `${docs.summary}: ${request}, ${docs.success.status} on success.${docs.description ? ` ${docs.description}` : ''}`,
    '',
    '```sh',
    `npm run vpn -- ${command}`,
    '# the same call as a signed curl command (good for 15 minutes): add --curl',
    '```',
  ];
  if (operation.body !== 'none' && docs.example) lines.push('', `Body (\`--file\`): \`${JSON.stringify(docs.example)}\``);
  lines.push('', `Event: \`${eventPayload(operation)}\``, '');
  return lines.join('\n');
}

const LEGEND =
  '`$PROJECT` is the demo project `0605767b1f00d5762f1fc00b6df30d4f`; `$GATEWAY`, `$SERVER`, `$CA`, `$USER`, ' +
  '`$GROUP` and `$POLICY` are ids the creates and lists print. Paths are under `http://localhost:3000` locally.';

export const renderReference = (operations: readonly AnyOperation[] = OPERATIONS): string =>
  [BEGIN, '', LEGEND, '', ...operations.map(section), END].join('\n');

/** The page with its reference part replaced (the rest is written by hand). */
export function renderOperationsPage(page: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/operations.md lacks the markers ${BEGIN} ... ${END}`);
  return `${page.slice(0, start)}${renderReference()}${page.slice(end + END.length)}`;
}

if (require.main === module) {
  writeFileSync(OPERATIONS_PAGE, renderOperationsPage(readFileSync(OPERATIONS_PAGE, 'utf8')));
  console.log(`wrote ${OPERATIONS_PAGE}`);
}
