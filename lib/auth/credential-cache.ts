interface Entry<C> {
  value: Promise<C | undefined>;
  /** undefined while the load is in flight */
  expiresAt: number | undefined;
}

/**
 * Wraps a credential loader with an in-memory cache, so a warm function does not read the table on
 * every call. Hits and misses are kept for `ttlMs` from when the load finished; concurrent calls for
 * one key share a load; failed loads are not kept. Beyond `maxEntries` keys the oldest is evicted.
 */
export function cachedLookup<C>(
  load: (accessKey: string) => Promise<C | undefined>,
  ttlMs: number,
  now: () => number = Date.now,
  maxEntries = 1000,
): (accessKey: string) => Promise<C | undefined> {
  const entries = new Map<string, Entry<C>>();

  return (accessKey) => {
    const cached = entries.get(accessKey);
    if (cached && (cached.expiresAt === undefined || now() < cached.expiresAt)) return cached.value;

    const entry: Entry<C> = { value: load(accessKey), expiresAt: undefined };
    entries.delete(accessKey);
    entries.set(accessKey, entry);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entry.value.then(
      () => {
        entry.expiresAt = now() + ttlMs;
      },
      () => {
        if (entries.get(accessKey) === entry) entries.delete(accessKey);
      },
    );
    return entry.value;
  };
}
