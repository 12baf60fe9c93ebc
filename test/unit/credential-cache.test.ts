import { cachedLookup } from '../../lib/auth/credential-cache';

const TTL = 30_000;

function harness(table: Record<string, string> = { AK1: 'sk1' }) {
  let clock = 1_000_000;
  const loads: string[] = [];
  const load = jest.fn(async (accessKey: string) => {
    loads.push(accessKey);
    return table[accessKey];
  });
  const lookup = cachedLookup(load, TTL, () => clock);
  return { lookup, loads, table, advance: (ms: number) => (clock += ms) };
}

describe('cachedLookup', () => {
  it('serves a hit within the ttl without reloading', async () => {
    const { lookup, loads, table, advance } = harness();
    await expect(lookup('AK1')).resolves.toBe('sk1');
    table.AK1 = 'rotated';
    advance(TTL - 1);
    await expect(lookup('AK1')).resolves.toBe('sk1');
    expect(loads).toEqual(['AK1']);
  });

  it('reloads once the ttl has passed', async () => {
    const { lookup, loads, table, advance } = harness();
    await lookup('AK1');
    table.AK1 = 'rotated';
    advance(TTL);
    await expect(lookup('AK1')).resolves.toBe('rotated');
    expect(loads).toEqual(['AK1', 'AK1']);
  });

  it('caches misses for the ttl too', async () => {
    const { lookup, loads, table, advance } = harness();
    await expect(lookup('NOPE')).resolves.toBeUndefined();
    table.NOPE = 'created later';
    await expect(lookup('NOPE')).resolves.toBeUndefined();
    expect(loads).toEqual(['NOPE']);
    advance(TTL);
    await expect(lookup('NOPE')).resolves.toBe('created later');
  });

  it('shares one load between concurrent calls for the same key, not across keys', async () => {
    const { lookup, loads } = harness({ AK1: 'sk1', AK2: 'sk2' });
    const results = await Promise.all([lookup('AK1'), lookup('AK1'), lookup('AK2'), lookup('AK1')]);
    expect(results).toEqual(['sk1', 'sk1', 'sk2', 'sk1']);
    expect(loads).toEqual(['AK1', 'AK2']);
  });

  it('counts the ttl from when a slow load finished', async () => {
    let clock = 0;
    let finish: (value: string) => void = () => {};
    const load = jest.fn(() => new Promise<string | undefined>((resolve) => (finish = resolve)));
    const lookup = cachedLookup(load, TTL, () => clock);
    const first = lookup('AK1');
    clock += TTL * 2;
    finish('sk1');
    await first;
    clock += TTL - 1;
    await lookup('AK1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const load = jest.fn(async () => {
      if (fail) throw new Error('throttled');
      return 'sk1';
    });
    const lookup = cachedLookup(load, TTL, () => 0);
    await expect(lookup('AK1')).rejects.toThrow('throttled');
    fail = false;
    await expect(lookup('AK1')).resolves.toBe('sk1');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('evicts the oldest key beyond its bound', async () => {
    const load = jest.fn(async (accessKey: string) => `secret of ${accessKey}`);
    const lookup = cachedLookup(load, TTL, () => 0, 2);
    await lookup('A');
    await lookup('B');
    await lookup('C');
    await lookup('C');
    await lookup('B');
    expect(load).toHaveBeenCalledTimes(3);
    await lookup('A');
    expect(load).toHaveBeenCalledTimes(4);
  });
});
