/**
 * Bundle size and cold init: the `api` function bundled with the settings of esbuild.config.js (the
 * ones `npm run build` and serverless-esbuild use) against a baseline bundle built with the same
 * settings from test/bench/baseline-handler.ts (DynamoDBClient + GetItemCommand only), and the
 * textbook peer (test/bench/peer/handler.ts) built with the same settings in the same esbuild call.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { median } from './stats';

const root = resolve(__dirname, '../..');
const { esbuildOptions } = require('../../esbuild.config.js') as { esbuildOptions: BuildOptions };

export interface Bundles {
  dir: string;
  api: { file: string; bytes: number };
  baseline: { file: string; bytes: number };
  /** the textbook peer of the create (test/bench/peer/handler.ts) */
  peer: { file: string; bytes: number };
  /** bytes in the api bundle beyond the baseline, by package (or lib/ folder), largest first */
  extraByPackage: { name: string; bytes: number }[];
  /** the peer's bundle by package, largest first */
  peerByPackage: { name: string; bytes: number }[];
}

function packageOf(input: string): string {
  const modules = input.lastIndexOf('node_modules/');
  if (modules < 0) return input.split('/').slice(0, 2).join('/');
  const parts = input.slice(modules + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function bytesByPackage(output: Metafile['outputs'][string]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  return sizes;
}

export async function buildBundles(): Promise<Bundles> {
  const dir = await mkdtemp(join(tmpdir(), 'p2c-vpn-bench-'));
  const result = await build({
    ...esbuildOptions,
    absWorkingDir: root,
    entryPoints: { api: 'handlers/api.ts', baseline: 'test/bench/baseline-handler.ts', peer: 'test/bench/peer/handler.ts' },
    outdir: dir,
    metafile: true,
    logLevel: 'error',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const find = (name: string) => {
    const found = outputs.find(([file]) => file.endsWith(`/${name}.js`));
    if (!found) throw new Error(`esbuild wrote no ${name}.js`);
    return { file: resolve(root, found[0]), bytes: found[1].bytes, output: found[1] };
  };
  const api = find('api');
  const baseline = find('baseline');
  const peer = find('peer');
  const apiSizes = bytesByPackage(api.output);
  const baselineSizes = bytesByPackage(baseline.output);
  const extraByPackage = [...apiSizes]
    .map(([name, bytes]) => ({ name, bytes: bytes - (baselineSizes.get(name) ?? 0) }))
    .filter((entry) => entry.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const peerByPackage = [...bytesByPackage(peer.output)]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    dir,
    api: { file: api.file, bytes: api.bytes },
    baseline: { file: baseline.file, bytes: baseline.bytes },
    peer: { file: peer.file, bytes: peer.bytes },
    extraByPackage,
    peerByPackage,
  };
}

export interface ColdInit {
  /** whole process: spawn, require, exit (medians, ms) */
  apiMs: number;
  baselineMs: number;
  /** median of the api/baseline ratios of each run (one start of each bundle): steadier than the ratio of medians when the machine's load changes */
  pairRatio: number;
  /** the require() call alone, timed inside the process: the process minus Node's own start-up (medians, ms) */
  apiRequireMs: number;
  baselineRequireMs: number;
  /** the median of the per-run api/baseline ratios of require() alone: the cold-init target */
  requirePairRatio: number;
  /** the peer's whole process and require() (medians, ms), and the medians of the api/peer pair ratios */
  peerMs: number;
  peerRequireMs: number;
  peerPairRatio: number;
  peerRequirePairRatio: number;
  /** `node -e 0`: the process floor (median, ms) */
  emptyMs: number;
  runs: number;
}

const REQUIRE_SCRIPT =
  'const t=process.hrtime.bigint();require(process.argv[1]);' +
  'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

function timedSpawn(args: string[], env: NodeJS.ProcessEnv): { wallMs: number; stdout: string } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 30_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    throw new Error(`node ${args.slice(0, 2).join(' ')} exited ${child.status ?? child.signal}: ${child.stderr.slice(0, 500)}`);
  }
  return { wallMs, stdout: child.stdout };
}

/**
 * Median of `runs` rotating cold starts of each bundle (api, baseline, peer; the order rotates by one
 * each run), each a fresh `node -e "require(bundle)"` with the Node running the bench, and the
 * median of the per-run ratios (api/baseline, api/peer).
 */
export function measureColdInit(bundles: Bundles, runs: number, nodeOptions = ''): ColdInit {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TABLE_NAME: 'p2c-vpn-bench',
    AWS_REGION: 'eu-west-1',
    NODE_OPTIONS: nodeOptions,
  };
  delete env.DYNAMODB_ENDPOINT;
  type Which = 'api' | 'baseline' | 'peer';
  const samples: Record<Which, number[]> = { api: [], baseline: [], peer: [] };
  const requires: Record<Which, number[]> = { api: [], baseline: [], peer: [] };
  const empty: number[] = [];
  const once = (which: Which) => {
    const { wallMs, stdout } = timedSpawn(['-e', REQUIRE_SCRIPT, bundles[which].file], env);
    samples[which].push(wallMs);
    requires[which].push(Number(stdout));
  };
  const order: Which[] = ['api', 'baseline', 'peer'];
  // one unrecorded start of each warms the OS file cache
  for (const which of order) timedSpawn(['-e', REQUIRE_SCRIPT, bundles[which].file], env);
  for (let run = 0; run < runs; run += 1) {
    for (let i = 0; i < order.length; i += 1) once(order[(run + i) % order.length]!);
    if (run % 3 === 0) empty.push(timedSpawn(['-e', '0'], env).wallMs);
  }
  const pairRatios = samples.api.map((apiMs, i) => apiMs / samples.baseline[i]!);
  const peerPairRatios = samples.api.map((apiMs, i) => apiMs / samples.peer[i]!);
  const requirePairRatios = requires.api.map((apiMs, i) => apiMs / requires.baseline[i]!);
  const peerRequirePairRatios = requires.api.map((apiMs, i) => apiMs / requires.peer[i]!);
  return {
    pairRatio: median(pairRatios),
    apiMs: median(samples.api),
    baselineMs: median(samples.baseline),
    apiRequireMs: median(requires.api),
    baselineRequireMs: median(requires.baseline),
    requirePairRatio: median(requirePairRatios),
    peerMs: median(samples.peer),
    peerRequireMs: median(requires.peer),
    peerPairRatio: median(peerPairRatios),
    peerRequirePairRatio: median(peerRequirePairRatios),
    emptyMs: median(empty),
    runs,
  };
}
