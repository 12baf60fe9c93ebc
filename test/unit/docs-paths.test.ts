/** The docs name only files that exist: every `lib/…`, `handlers/…` and `test/…` path in backticks in
 * README.md and docs/*.md (a brace list such as lib/x/{a,b}.ts names each of its files). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** `lib/a/{b,c}.ts` -> lib/a/b.ts, lib/a/c.ts */
const expand = (reference: string): string[] => {
  const brace = /\{([^{}]+)\}/.exec(reference);
  if (!brace || reference.slice(0, brace.index).includes('{')) return [reference];
  return brace[1]!.split(',').flatMap((part) => expand(`${reference.slice(0, brace.index)}${part}${reference.slice(brace.index + brace[0].length)}`));
};

test.each(pages)('%s names only files and folders that exist', (page) => {
  const text = readFileSync(path.join(root, page), 'utf8');
  const references = [...text.matchAll(/`((?:lib|handlers|test)\/[A-Za-z0-9_./{},*-]+?)`/g)].map((match) => match[1]!.replace(/[.,]$/, ''));
  const missing = references
    .filter((reference) => !reference.includes('*') && !/\{[a-z_]+\}$/.test(reference))
    .flatMap(expand)
    .filter((file) => !existsSync(path.join(root, file.replace(/\/$/, ''))));
  expect(missing).toEqual([]);
});
