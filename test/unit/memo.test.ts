import { memoise } from '../../lib/core/memo';

describe('memoise', () => {
  it('computes each key once while it is remembered', () => {
    const compute = jest.fn((key: string) => key.length);
    const lengthOf = memoise(compute, 10);
    expect([lengthOf('abc'), lengthOf('abc'), lengthOf('de')]).toEqual([3, 3, 2]);
    expect(compute.mock.calls.map(([key]) => key)).toEqual(['abc', 'de']);
  });

  it('remembers undefined results too', () => {
    const compute = jest.fn((): number | undefined => undefined);
    const lookup = memoise(compute, 10);
    lookup('x');
    lookup('x');
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('holds at most maxEntries results: when full it starts over', () => {
    const compute = jest.fn((key: string) => key);
    const echo = memoise(compute, 2);
    ['a', 'b', 'a', 'c', 'c', 'a'].forEach(echo);
    // c found the memo full (a, b) and started it over; a is then computed again
    expect(compute.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not remember a computation that threw', () => {
    let fail = true;
    const compute = jest.fn((key: string) => {
      if (fail) throw new Error('transient');
      return key;
    });
    const echo = memoise(compute, 10);
    expect(() => echo('k')).toThrow('transient');
    fail = false;
    expect(echo('k')).toBe('k');
    expect(compute).toHaveBeenCalledTimes(2);
  });
});
