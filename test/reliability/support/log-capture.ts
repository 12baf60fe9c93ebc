/** Captures every line written to stdout/stderr and through console while a reliability file runs
 * (the Powertools logger writes JSON lines to process.stdout), and scans them for secrets. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { issuedSignatures } from '../../support/api-events';
import { demoSeed } from '../../support/local-table';

export interface LogCapture {
  lines: string[];
  /** every captured line holding a forbidden string, with what it held */
  leaks(extraSecrets?: readonly string[]): { secret: string; line: string }[];
  restore(): void;
}

const FIXTURE_CERTS = path.join(__dirname, '../../fixtures/certs');

/** Base64 lines of every PEM body the suite can send or the seed holds, and the markers. */
function certificateFragments(): string[] {
  const pems = [
    ...(demoSeed().certificates ?? []).map((certificate) => certificate.content),
    ...readdirSync(FIXTURE_CERTS)
      .filter((name) => name.endsWith('.pem'))
      .map((name) => readFileSync(path.join(FIXTURE_CERTS, name), 'utf8')),
  ];
  const fragments = new Set<string>();
  for (const pem of pems) {
    for (const line of pem.split(/\r?\n/)) {
      // full 64-character base64 lines; short last lines could occur by chance
      if (/^[A-Za-z0-9+/]{64}$/.test(line)) fragments.add(line);
    }
  }
  return [...fragments];
}

/** A PEM marker next to a body (base64, after a real or a JSON-escaped line break): a certificate or key
 * written out. A marker alone is not: the service's fixed messages name the format they expect
 * ("no PEM CERTIFICATE block (-----BEGIN CERTIFICATE-----) found"). */
const PEM_WITH_BODY = [
  /-----BEGIN [A-Z0-9 ]+-----(?:\\[rn]|\s)*[A-Za-z0-9+/]{16}/,
  /[A-Za-z0-9+/=]{16}(?:\\[rn]|\s)*-----END [A-Z0-9 ]+-----/,
  /PRIVATE KEY-----(?:\\[rn]|\s)*[A-Za-z0-9+/]/,
];

export function captureLogs(options: { passThrough?: (line: string) => boolean } = {}): LogCapture {
  const lines: string[] = [];
  const record = (chunk: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    for (const line of text.split('\n')) if (line.length > 0) lines.push(line);
    return text;
  };
  // Powertools JSON lines are swallowed (they are scanned, not shown); anything else goes through
  const passThrough = options.passThrough ?? ((line: string) => !line.trimStart().startsWith('{"level"'));
  const wrap = (stream: NodeJS.WriteStream) => {
    const original = stream.write;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      const text = record(chunk);
      if (text.split('\n').every((line) => line.length === 0 || !passThrough(line))) {
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    };
    return () => {
      stream.write = original;
    };
  };
  const restoreStdout = wrap(process.stdout);
  const restoreStderr = wrap(process.stderr);
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const spies = consoleMethods.map((method) => {
    const original = console[method];
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      const text = args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
      record(text);
      if (text.split('\n').some((line) => passThrough(line))) original.apply(console, args as never);
    });
    return spy;
  });

  const secrets = () => [
    ...(demoSeed().credentials ?? []).map((credential) => credential.secret_key),
    ...issuedSignatures,
    ...certificateFragments(),
  ];

  return {
    lines,
    leaks: (extraSecrets = []) => {
      const found: { secret: string; line: string }[] = [];
      const all = [...secrets(), ...extraSecrets];
      for (const line of lines) {
        for (const secret of all) if (line.includes(secret)) found.push({ secret, line: line.slice(0, 300) });
        for (const pattern of PEM_WITH_BODY) if (pattern.test(line)) found.push({ secret: String(pattern), line: line.slice(0, 300) });
      }
      return found;
    },
    restore: () => {
      restoreStdout();
      restoreStderr();
      for (const spy of spies) spy.mockRestore();
    },
  };
}
