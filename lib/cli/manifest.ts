/** Writes lib/cli/commands.json, the CLI's zod-free copy of the operation catalogue: the CLI bundle
 * reads only that file, so it carries neither zod nor the use cases. `npm run cli:manifest`;
 * test/unit/cli.test.ts fails when the committed file is not what this writes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from '../operations/catalogue';
import { pathIdsOf, type AnyOperation } from '../operations/operation';
import type { ManifestEntry } from './commands';

export const CLI_MANIFEST_FILE = join(__dirname, 'commands.json');

/** What the CLI needs of an operation: all plain data. */
export const manifestEntryOf = (operation: AnyOperation): ManifestEntry => ({
  name: operation.name,
  method: operation.method,
  path: operation.path,
  ids: pathIdsOf(operation.path),
  query: operation.query ?? [],
  clientToken: operation.clientToken ?? false,
  body: operation.body,
  cli: operation.cli ?? {},
});

export const renderCliManifest = (operations: readonly AnyOperation[] = OPERATIONS): string =>
  `${JSON.stringify(operations.map(manifestEntryOf), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(CLI_MANIFEST_FILE, renderCliManifest());
  console.log(`wrote ${CLI_MANIFEST_FILE}`);
}
