/** One fake CliIo for the CLI's tests: files in memory, fetch answered by a function, output captured. */
import type { CliIo } from '../../lib/cli/main';

/** One call as fetch got it; `request` is a readable copy. */
export interface SentCall {
  url: string;
  init: RequestInit;
  request: Request;
}

export interface FakeCliOptions {
  respond: (request: Request) => Response | Promise<Response>;
  /** by absolute path */
  files: Readonly<Record<string, string>>;
  env?: Record<string, string>;
  now: Date;
}

export function fakeCliIo({ respond, files, env = {}, now }: FakeCliOptions) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: SentCall[] = [];
  const written: Record<string, string> = {};
  const io: CliIo = {
    env,
    cwd: '/work/dir',
    fetch: async (url, init) => {
      const request = new Request(url, init);
      sent.push({ url, init, request: request.clone() });
      return respond(request);
    },
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return Buffer.from(content);
    },
    writeFile: async (path, content) => {
      written[path] = content;
    },
    now: () => now,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  };
  return { io, out, err, sent, written };
}
