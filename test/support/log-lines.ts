/** The structured log lines a handler prints, kept out of the test output. */
export type LogLine = Record<string, unknown>;

/** Powertools writes JSON lines on process.stdout (info) and process.stderr (warn, error). */
export async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; logs: LogLine[] }> {
  let text = '';
  const capture = (chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  let result: T;
  try {
    result = await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const logs = text.split('\n').flatMap((line): LogLine[] => {
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed as LogLine] : [];
    } catch {
      return [];
    }
  });
  return { result, logs };
}
