/** Remembers the results of a pure function of a string for a warm function. Results that throw are
 * not remembered. When `maxEntries` are held it starts over: cheaper than evicting one at a time
 * (V8 iterates a Map's deleted slots from its start), and a warm function's working set is small. */
export function memoise<T>(compute: (key: string) => T, maxEntries: number): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    if (results.has(key)) return results.get(key) as T;
    const result = compute(key);
    if (results.size >= maxEntries) results.clear();
    results.set(key, result);
    return result;
  };
}

/** Builds on first call. The response schemas are named by the catalogue for the OpenAPI document, but
 * the functions never validate their own answers, so the bundles do not build them at start-up. */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
