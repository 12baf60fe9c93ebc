/** docs/operations.md's reference is the catalogue's: one section per operation, as lib/openapi/operations-page.ts writes it. */
import { readFileSync } from 'node:fs';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { OPERATIONS_PAGE, renderOperationsPage } from '../../lib/openapi/operations-page';

const page = readFileSync(OPERATIONS_PAGE, 'utf8');

test('the committed page is what npm run docs:operations writes', () => {
  expect(page).toBe(renderOperationsPage(page));
});

test('it has a section per operation of the catalogue, in catalogue order, each with its CLI command and event payload', () => {
  const headings = [...page.matchAll(/^### (\w+)$/gm)].map((match) => match[1]);
  expect(headings).toEqual(OPERATIONS.map((operation) => operation.name));
  for (const operation of OPERATIONS) {
    const section = page.slice(page.indexOf(`### ${operation.name}\n`)).split('\n### ')[0]!;
    expect([operation.name, section]).toEqual([operation.name, expect.stringContaining(`${operation.method} ${operation.path}`)]);
    expect(section).toContain(`"action": "${operation.name}"`);
    expect(section).toMatch(/npm run vpn -- [a-z0-9-]+ --project \$PROJECT/);
  }
});
