/** The CLI's run loop and process entry: parse (parse.ts), read the body and sign (request.ts), call, print (output.ts). */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { usageOf, COMMANDS } from './commands';
import { formatResponse } from './output';
import { parseCommand, UsageError, type Credentials, type Env } from './parse';
import { buildRequest, curlOf, readBody, type HttpRequest } from './request';

export const DEMO_SEED_PATH = join(__dirname, '..', 'local', 'demo-seed.json');

export interface CliIo {
  env: Env;
  /** where relative --file, --certificate and --output paths start */
  cwd: string;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  readFile: (path: string) => Promise<Uint8Array>;
  writeFile: (path: string, content: string) => Promise<void>;
  now: () => Date;
  /** each call prints its text and a newline */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The first credential of the local stack's seed file (CONTRACT.md section 8). */
function demoCredentials(seedText: string): Credentials {
  const first = (JSON.parse(seedText) as { credentials?: { access_key?: unknown; secret_key?: unknown }[] }).credentials?.[0];
  if (typeof first?.access_key !== 'string' || typeof first.secret_key !== 'string') {
    throw new Error('the demo seed file has no credentials[0]');
  }
  return { accessKey: first.access_key, secretKey: first.secret_key };
}

const reason = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

async function read(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${reason(error)}`, { cause: error });
  }
}

/** Runs one CLI invocation and returns the exit code: 0 success, 1 failed call, 2 usage error. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommand(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message} (see --help)`);
    return 2;
  }
  if (!('operation' in command)) {
    io.stdout(usageOf(COMMANDS));
    return 0;
  }
  // npm run changes the directory to the package root; INIT_CWD is where the user ran it.
  const local = (path: string): string => resolve(io.env.INIT_CWD || io.cwd, path);
  let request: HttpRequest;
  try {
    const credentials = command.credentials ?? demoCredentials(new TextDecoder().decode(await read(io, DEMO_SEED_PATH)));
    const body = await readBody(command, (path) => read(io, local(path)));
    request = buildRequest(command, credentials, body, io.now());
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}`);
    return 1;
  }
  if (command.curl) {
    io.stdout(curlOf(request));
    return 0;
  }
  let response: Response;
  let bodyText: string;
  try {
    const { url, method, headers, body } = request;
    response = await io.fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    bodyText = await response.text();
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    io.stderr(`error: cannot reach ${command.endpoint.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    return 1;
  }
  const output = formatResponse(command, response.status, bodyText, response.headers.get('x-request-id'));
  if (output.file !== undefined) {
    const path = local(output.file.path);
    try {
      await io.writeFile(path, output.file.content);
    } catch (error) {
      io.stderr(`error: cannot write ${path}: ${reason(error)}`);
      return 1;
    }
  }
  if (output.stdout !== undefined) io.stdout(output.stdout);
  if (output.stderr !== undefined) io.stderr(output.stderr);
  return output.exitCode;
}

/** The process entry point: `npm run vpn -- ...` and the `p2c-vpn` bin (lib/cli/bin.ts). */
export function main(): void {
  void run(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    fetch: (url, init) => fetch(url, init),
    readFile: (path) => readFile(path),
    writeFile: (path, content) => writeFile(path, content),
    now: () => new Date(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
