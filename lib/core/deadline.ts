import { throttled } from './errors';

/** Once the caller has been answered (`signal` aborted: the function's deadline came), no write is started. */
export const assertStillAwaited = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw throttled();
};
