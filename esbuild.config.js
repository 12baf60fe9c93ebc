/**
 * esbuild settings shared by `npm run build` (lib/local/build.ts) and serverless-esbuild
 * (custom.esbuild.config in serverless.yml), so both emit the same bundles.
 */
const esbuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: true,
  // stack traces need only the mappings; leaving the sources out keeps the package small
  sourcesContent: false,
  // ESM entry points first: tree-shaking then drops the unused parts of @aws-sdk and zod
  mainFields: ['module', 'main'],
};

/**
 * serverless-esbuild calls this. `exclude: []` bundles @aws-sdk v3 as well: the runtime ships one,
 * but bundling pins the version the tests ran against, loads from one file and makes the bundle
 * size measurable (npm run bench).
 */
module.exports = () => ({
  ...esbuildOptions,
  exclude: [],
  // lib/local/offline.ts gives each serverless-offline instance its own build folder, so parallel
  // instances (tests) and `serverless package` (which deletes its folder) never share one
  ...(process.env.ESBUILD_WORK_FOLDER ? { outputWorkFolder: process.env.ESBUILD_WORK_FOLDER } : {}),
  // rebuild on source changes under serverless-offline; tests and docs do not reach the bundles
  watch: { pattern: ['handlers/**/*.ts', 'lib/**/*.ts'] },
});
module.exports.esbuildOptions = esbuildOptions;
