/** `npm run build`: dist/api.js and dist/events.js (+ maps), with the settings serverless packages. */
import { build, type BuildOptions } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const { esbuildOptions } = require('../../esbuild.config.js') as { esbuildOptions: BuildOptions };

async function main(): Promise<void> {
  const result = await build({
    ...esbuildOptions,
    absWorkingDir: root,
    entryPoints: { api: 'handlers/api.ts', events: 'handlers/events.ts' },
    outdir: 'dist',
    metafile: true,
  });
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) {
    console.log(`${file.padEnd(20)} ${(bytes / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
