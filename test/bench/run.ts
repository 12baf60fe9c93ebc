/**
 * `npm run bench`: one table of the performance budget (issue 6). Every figure is a ratio against a
 * baseline measured in the same run, so machine noise cancels. Always exits 0: the table says which
 * targets are met. Progress goes to stderr, the table and its notes to stdout.
 */
import { rm } from 'node:fs/promises';
import { buildBundles, measureColdInit, type Bundles } from './bundles';
import { measureCpu } from './cpu';
import { measureDynamo, type DynamoResults, type LatencyPair } from './dynamo';
import { measureLifecycle } from './lifecycle';
import { measureOffline } from './offline';
import { measurePeer, measurePeerCpu, type PeerResults } from './peer';
import { formatRatio, kib, ms } from './stats';

const COLD_RUNS = 21;
const OFFLINE_LEVELS = [1, 8, 64];
const OFFLINE_SECONDS = 3;
const PEER_WARMUP = 20;
const PEER_SAMPLES = 400;

interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
  /** the textbook peer (test/bench/peer), where the row has one */
  peer: string;
  peerRatio: string;
  oursWins: string;
}

/** The peer's figure for a row, and ours / peer (lower is better on every row). */
interface VsPeer {
  peer: string;
  ratio: number;
}

const rows: Row[] = [];
const notes: string[] = [];
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function addRow(
  measure: string,
  value: string,
  baseline: string,
  ratioValue: number | undefined,
  target: string,
  met?: boolean,
  vsPeer?: VsPeer,
): void {
  rows.push({
    measure,
    value,
    baseline,
    ratio: ratioValue === undefined ? '-' : formatRatio(ratioValue),
    target,
    met: met === undefined ? '-' : met ? 'yes' : 'NO',
    peer: vsPeer?.peer ?? '-',
    peerRatio: vsPeer ? formatRatio(vsPeer.ratio) : '-',
    oursWins: !vsPeer ? '-' : !Number.isFinite(vsPeer.ratio) || vsPeer.ratio === 1 ? 'tie' : vsPeer.ratio < 1 ? 'yes' : 'NO',
  });
}

function failedRow(measure: string, error: unknown): void {
  const message = (error as Error).message?.split('\n')[0] ?? String(error);
  rows.push({
    measure,
    value: `error: ${message.slice(0, 120)}`,
    baseline: '-',
    ratio: '-',
    target: '-',
    met: '-',
    peer: '-',
    peerRatio: '-',
    oursWins: '-',
  });
}

async function section(name: string, body: () => Promise<void> | void): Promise<void> {
  const started = Date.now();
  progress(`${name}...`);
  try {
    await body();
  } catch (error) {
    failedRow(name, error);
  }
  progress(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function bundleRows(bundles: Bundles): void {
  const sizeRatio = bundles.api.bytes / bundles.baseline.bytes;
  addRow('bundle size: api', kib(bundles.api.bytes), kib(bundles.baseline.bytes), sizeRatio, '<= 1.15x', sizeRatio <= 1.15, {
    peer: kib(bundles.peer.bytes),
    ratio: bundles.api.bytes / bundles.peer.bytes,
  });
  const top = bundles.extraByPackage
    .slice(0, 10)
    .map((entry) => `${entry.name} +${kib(entry.bytes)}`)
    .join(', ');
  notes.push(
    `bundle: api is ${kib(bundles.api.bytes - bundles.baseline.bytes)} over the baseline ` +
      `(1.15x allows ${kib(bundles.baseline.bytes * 0.15)}); largest additions: ${top}`,
  );
  const peerTop = bundles.peerByPackage
    .slice(0, 8)
    .map((entry) => `${entry.name} ${kib(entry.bytes)}`)
    .join(', ');
  notes.push(`bundle: the peer (test/bench/peer/handler.ts, same esbuild settings) is ${kib(bundles.peer.bytes)}; largest parts: ${peerTop}`);
}

function coldRows(bundles: Bundles): void {
  // The rows time require() alone, inside the process: Node's own start-up would sit in both terms of a
  // whole-process ratio and pull it towards 1.
  const plain = measureColdInit(bundles, COLD_RUNS);
  addRow(
    `cold init: require(bundle) alone, median of ${plain.runs} runs`,
    ms(plain.apiRequireMs, 1),
    ms(plain.baselineRequireMs, 1),
    plain.requirePairRatio,
    '<= 1.10x',
    plain.requirePairRatio <= 1.1,
    { peer: ms(plain.peerRequireMs, 1), ratio: plain.peerRequirePairRatio },
  );
  notes.push(
    `cold init: the whole process (node -e require(bundle)) ${ms(plain.apiMs, 1)} vs ${ms(plain.baselineMs, 1)} ` +
      `(${formatRatio(plain.pairRatio)}), the peer's ${ms(plain.peerMs, 1)}; ` +
      `an empty node process takes ${ms(plain.emptyMs, 1)}; ratios are medians of the per-run ratios (each run starts each bundle once)`,
  );
  const mapped = measureColdInit(bundles, COLD_RUNS, '--enable-source-maps');
  addRow(
    'cold init, require() alone, with NODE_OPTIONS=--enable-source-maps (as deployed)',
    ms(mapped.apiRequireMs, 1),
    ms(mapped.baselineRequireMs, 1),
    mapped.requirePairRatio,
    'report only',
    undefined,
    { peer: ms(mapped.peerRequireMs, 1), ratio: mapped.peerRequirePairRatio },
  );
}

function peerRows(results: PeerResults): void {
  for (const { scenario, samples, ours, peer } of results.latency) {
    addRow(`handler, signed event: ${scenario} p50 (${samples} samples)`, ms(ours.p50), '-', undefined, 'report only', undefined, {
      peer: ms(peer.p50),
      ratio: ours.p50 / peer.p50,
    });
    addRow(`handler, signed event: ${scenario} p99`, ms(ours.p99), '-', undefined, 'report only', undefined, {
      peer: ms(peer.p99),
      ratio: ours.p99 / peer.p99,
    });
  }
  for (const { scenario, ours, peer } of results.calls) {
    addRow(`handler: round trips, ${scenario}`, String(ours.roundTrips), '-', undefined, 'report only', undefined, {
      peer: String(peer.roundTrips),
      ratio: ours.roundTrips / peer.roundTrips,
    });
    addRow(`handler: WCU, ${scenario}`, String(ours.writeUnits), '-', undefined, 'report only', undefined, {
      peer: String(peer.writeUnits),
      ratio: ours.writeUnits / peer.writeUnits,
    });
    addRow(`handler: RCU, ${scenario}`, String(ours.readUnits), '-', undefined, 'report only', undefined, {
      peer: String(peer.readUnits),
      ratio: ours.readUnits / peer.readUnits,
    });
  }
  notes.push('ours vs the textbook peer (test/bench/peer), whole handlers, signed API Gateway v2 events, one dynalite:');
  for (const { scenario, ours, peer } of results.calls) {
    notes.push(`  ${scenario}: ours = ${ours.detail}; peer = ${peer.detail}`);
  }
}

function latencyRows(label: string, pair: LatencyPair): void {
  const p50 = pair.create.p50 / pair.raw.p50;
  addRow(`warm create p50, ${label}`, ms(pair.create.p50), ms(pair.raw.p50), p50, '<= 1.3x', p50 <= 1.3);
  addRow(`warm create p99, ${label}`, ms(pair.create.p99), ms(pair.raw.p99), pair.create.p99 / pair.raw.p99, 'report only');
  notes.push(
    `create ${label} (${pair.samples} samples each): create = ${pair.createCalls.detail}; ` +
      `baseline = ${pair.rawCalls.detail}`,
  );
}

function roundTripRows(results: DynamoResults['roundTrips']): void {
  for (const { scenario, summary, target } of results) {
    const value = `${summary.roundTrips} (${summary.writes} write${summary.writes === 1 ? '' : 's'})`;
    if (!target) {
      addRow(`round trips: ${scenario}`, value, '-', undefined, 'report only');
    } else {
      const wantWrites = target.writes === undefined ? '' : ` (${target.writes} write${target.writes === 1 ? '' : 's'})`;
      const met = summary.roundTrips <= target.roundTrips && (target.writes === undefined || summary.writes <= target.writes);
      addRow(`round trips: ${scenario}`, value, `${target.roundTrips}${wantWrites}`, summary.roundTrips / target.roundTrips, `<= ${target.roundTrips}${wantWrites}`, met);
    }
  }
  notes.push('DynamoDB calls and consumed capacity (ReturnConsumedCapacity=TOTAL, as dynalite computes it):');
  for (const { scenario, summary } of results) {
    notes.push(
      `  ${scenario}: ${summary.roundTrips} round trip(s), ${summary.readUnits} RCU, ${summary.writeUnits} WCU: ${summary.detail}`,
    );
  }
}

function printTable(): void {
  const header: Row = {
    measure: 'measure',
    value: 'value',
    baseline: 'baseline',
    ratio: 'ratio',
    target: 'target',
    met: 'met?',
    peer: 'peer',
    peerRatio: 'ours / peer',
    oursWins: 'ours wins?',
  };
  const columns = Object.keys(header) as (keyof Row)[];
  const widths = columns.map((column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: Row) => `| ${columns.map((column, i) => row[column].padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  console.log([line(header), rule, ...rows.map(line)].join('\n'));
  if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  let bundles: Bundles | undefined;
  await section('bundle size', async () => {
    bundles = await buildBundles();
    bundleRows(bundles);
  });
  if (bundles) {
    const built = bundles;
    await section('cold init', () => coldRows(built));
  }

  await section('warm create and round trips (dynalite)', async () => {
    const results = await measureDynamo({ warmup: 20, cachedSamples: 300, freshSamples: 200 });
    latencyRows('gateway VPC cached', results.vpcCached);
    latencyRows('first create on the gateway', results.vpcNotCached);
    notes.push(
      `create first create on the gateway vs the two-call floor (BatchGetItem + PutItem): ` +
        `${ms(results.vpcNotCached.create.p50)} vs ${ms(results.vpcCached.raw.p50)} = ` +
        `${formatRatio(results.vpcNotCached.create.p50 / results.vpcCached.raw.p50)} at p50`,
    );
    roundTripRows(results.roundTrips);
  });

  await section('lifecycle calls (dynalite)', async () => {
    const results = await measureLifecycle({ warmup: 20, samples: 200 });
    for (const { call, samples, p50, p99 } of results.latency) {
      addRow(`warm ${call} p50 / p99 (${samples} samples)`, `${ms(p50)} / ${ms(p99)}`, '-', undefined, 'report only');
    }
    roundTripRows(results.roundTrips);
  });

  await section('ours vs the textbook peer (dynalite)', async () => {
    peerRows(await measurePeer({ warmup: PEER_WARMUP, samples: PEER_SAMPLES }));
  });

  await section('handler CPU', async () => {
    const warm = measureCpu({ warmup: 200, iterations: 1000, firstSight: false });
    const peerWarm = await measurePeerCpu({ warmup: 200, iterations: 1000, firstSight: false });
    addRow(
      'handler CPU p50: 20 subnets, 1,000 routes, 10 client CAs (warm)',
      ms(warm.total.p50, 3),
      ms(warm.floor.p50, 3),
      warm.total.p50 / warm.floor.p50,
      '<= 0.5 ms',
      warm.total.p50 <= 0.5,
      { peer: ms(peerWarm.p50, 3), ratio: warm.total.p50 / peerWarm.p50 },
    );
    const first = measureCpu({ warmup: 50, iterations: 300, firstSight: true });
    const peerFirst = await measurePeerCpu({ warmup: 50, iterations: 300, firstSight: true });
    addRow(
      'handler CPU p50, routes and CAs seen for the first time',
      ms(first.total.p50, 3),
      ms(first.floor.p50, 3),
      first.total.p50 / first.floor.p50,
      'report only',
      undefined,
      { peer: ms(peerFirst.p50, 3), ratio: first.total.p50 / peerFirst.p50 },
    );
    for (const [label, cpu] of [['warm', warm], ['first sight', first]] as const) {
      notes.push(
        `handler CPU ${label} (p50 of ${cpu.iterations}, body ${kib(cpu.bodyBytes)}): JSON.parse + zod parse + normalise ${ms(cpu.parse.p50, 3)}, ` +
          `findCidrProblems ${ms(cpu.cidr.p50, 3)}, checkClientCaList ${ms(cpu.clientCas.p50, 3)}; total p99 ${ms(cpu.total.p99, 3)}`,
      );
    }
    notes.push(
      `handler CPU baseline = JSON.parse of the body + new X509Certificate() of the 10 PEMs (${ms(warm.x509Parse.p50, 3)} of it): ` +
        'the floor of any check of these inputs',
    );
  });

  await section('serverless-offline with autocannon', async () => {
    const offline = await measureOffline(OFFLINE_LEVELS, OFFLINE_SECONDS);
    if (!offline.levels) {
      for (const connections of OFFLINE_LEVELS) {
        addRow(`offline GET list by project, concurrency ${connections}`, 'n/a', 'n/a', undefined, 'report only');
      }
      notes.push(`offline: n/a: ${offline.reason}`);
      return;
    }
    const single = offline.levels[0]!;
    for (const level of offline.levels) {
      addRow(
        `offline GET list by project, concurrency ${level.connections}`,
        `${level.requestsPerSecond.toFixed(0)} req/s, p50 ${level.p50Ms} ms, p99 ${level.p99Ms} ms`,
        `${single.requestsPerSecond.toFixed(0)} req/s (concurrency 1)`,
        level.requestsPerSecond / single.requestsPerSecond,
        'report only',
      );
      if (level.non2xx > 0 || level.errors > 0) {
        notes.push(`offline concurrency ${level.connections}: ${level.non2xx} non-2xx and ${level.errors} errors of ${level.requests} requests`);
      }
    }
  });

  if (bundles) await rm(bundles.dir, { recursive: true, force: true });
  printTable();
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s on Node ${process.version}`);
}

main()
  .catch((error: unknown) => {
    failedRow('bench', error);
    printTable();
  })
  .finally(() => process.exit(0));
