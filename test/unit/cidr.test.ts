import fc from 'fast-check';
import { Netmask, ip2long, long2ip } from 'netmask';
import { blocksOverlap, type Ipv4Block, parseCidr } from '../../lib/core/ipv4';
import { type CidrPlanInput, findCidrProblems } from '../../lib/vpn-servers/cidr';

function block(text: string): Ipv4Block {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`test setup: ${text} does not parse`);
  return parsed;
}

/** A plan that breaks no rule; each test changes one thing. */
function plan(overrides: { client?: string; locals?: string[]; routes?: string[]; max?: number } = {}): CidrPlanInput {
  return {
    clientCidr: block(overrides.client ?? '10.200.0.0/16'),
    localSubnets: (overrides.locals ?? ['192.168.0.0/24', '10.16.0.0/16']).map(block),
    routeDestinations: overrides.routes ?? ['0.0.0.0/0', '192.168.0.0/16', '100.64.0.0/10'],
    maxConnectionNumber: overrides.max ?? 50,
  };
}

const isCapacityProblem = (message: string) => message.includes(' addresses; it needs more than ');

const arbBlock = fc
  .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }))
  .map(([ip, prefix]) => block(`${ip}/${prefix}`));

describe('parseCidr', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
    ['172.16.0.1/24', '172.16.0.0/24'],
    ['10.1.2.3/0', '0.0.0.0/0'],
    ['192.168.100.200/31', '192.168.100.200/31'],
    ['100.0.10.0/20', '100.0.0.0/20'],
  ])('accepts %s as %s', (text, cidr) => {
    expect(parseCidr(text)?.cidr).toBe(cidr);
  });

  test.each([
    '010.0.0.0/8', // octal to netmask
    '10.0.0.010/8',
    '0x0a.0.0.0/8', // hex to netmask
    '10.0.0.0/08',
    '10.0.0.0/00',
    '10.0.0.0/255.0.0.0', // dotted mask
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '10.0.0.0 /8',
    '10.0.0.0/8\n',
    '10.0.0.256/8',
    '256.0.0.0/8',
    '10.0.0.0/33',
    '10.0.0.0/99',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '::1/128',
    '::ffff:10.0.0.0/104',
    '1.2.3/24', // short form
    '167772160/8', // single-number form
    '10.0.0.0', // no prefix
    '10.0.0.0/',
    '/8',
    '10..0.0/8',
    '10.0.0.0.0/8',
    '１0.0.0.0/8', // full-width digit
    '',
  ])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test('gives the network, last address, size and prefix', () => {
    expect(parseCidr('172.16.0.1/24')).toEqual({
      cidr: '172.16.0.0/24',
      first: ip2long('172.16.0.0'),
      last: ip2long('172.16.0.255'),
      size: 256,
      prefix: 24,
    });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ first: 0, last: 2 ** 32 - 1, size: 2 ** 32, prefix: 0 });
    expect(parseCidr('255.255.255.255/32')).toMatchObject({ first: 2 ** 32 - 1, last: 2 ** 32 - 1, size: 1 });
  });

  test('property: every dotted-decimal address with a prefix 0..32 parses to the same network as netmask', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const parsed = parseCidr(`${ip}/${prefix}`);
        const net = new Netmask(`${ip}/${prefix}`);
        expect(parsed?.cidr).toBe(net.toString());
        expect(parsed?.size).toBe(2 ** (32 - prefix));
        expect(parsed?.prefix).toBe(prefix);
      }),
    );
  });

  test('property: normalisation is idempotent', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const once = block(`${ip}/${prefix}`);
        expect(parseCidr(once.cidr)?.cidr).toBe(once.cidr);
      }),
    );
  });

  test('property: only text already in canonical dotted decimal is accepted', () => {
    // Near misses: octal/hex/short addresses, padded or signed prefixes, stray whitespace, plus arbitrary text.
    const prefixText = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map(String),
      fc.integer({ min: 0, max: 40 }).map((n) => `0${n}`),
      fc.constantFrom('+8', '-0', '8.0', '255.255.0.0', ''),
    );
    const text = fc.oneof(
      fc.tuple(fc.oneof(fc.ipV4(), fc.ipV4Extended()), prefixText).map(([ip, p]) => `${ip}/${p}`),
      fc
        .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }), fc.constantFrom(' ', '\t', '\n', '0', '.'), fc.nat(20))
        .map(([ip, p, extra, at]) => {
          const s = `${ip}/${p}`;
          const i = at % (s.length + 1);
          return s.slice(0, i) + extra + s.slice(i);
        }),
      fc.string(),
    );
    fc.assert(
      fc.property(text, (s) => {
        const parsed = parseCidr(s);
        if (parsed === undefined) return;
        const [address = '', prefix = ''] = s.split('/');
        // Reprinting the address and prefix in plain decimal must give back the very same text.
        expect(`${long2ip(ip2long(address))}/${Number(prefix)}`).toBe(s);
        expect(parsed.cidr).toBe(`${long2ip(parsed.first)}/${parsed.prefix}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('blocksOverlap', () => {
  test.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/24', '10.0.0.255/32', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['0.0.0.0/0', '255.255.255.255/32', true],
    ['223.255.255.0/24', '224.0.0.0/4', false],
  ])('%s and %s: %s', (a, b, overlap) => {
    expect(blocksOverlap(block(a), block(b))).toBe(overlap);
  });

  test('property: symmetric', () => {
    fc.assert(
      fc.property(arbBlock, arbBlock, (a, b) => {
        expect(blocksOverlap(a, b)).toBe(blocksOverlap(b, a));
      }),
    );
  });

  test('property: two CIDR blocks overlap exactly when one contains the other', () => {
    fc.assert(
      fc.property(arbBlock, arbBlock, (a, b) => {
        const contained = new Netmask(a.cidr).contains(b.cidr) || new Netmask(b.cidr).contains(a.cidr);
        expect(blocksOverlap(a, b)).toBe(contained);
      }),
    );
  });
});

describe('findCidrProblems', () => {
  test('the baseline plan has no problems', () => {
    expect(findCidrProblems(plan())).toEqual([]);
  });

  describe('reserved blocks', () => {
    test.each([
      ['0.0.0.0/24', '0.0.0.0/8'],
      ['127.0.0.0/8', '127.0.0.0/8'],
      ['224.0.0.0/24', '224.0.0.0/4'],
      ['240.10.0.0/16', '240.0.0.0/4'],
      ['169.254.0.0/20', '169.254.0.0/16'],
      ['169.0.0.0/8', '169.254.0.0/16'], // the client block contains the reserved one
    ])('client_cidr %s overlaps %s', (client, reservedBlock) => {
      expect(findCidrProblems(plan({ client }))).toEqual([
        `vpn_server.client_cidr ${client} overlaps reserved block ${reservedBlock}`,
      ]);
    });

    test('a client block covering several reserved blocks names each of them', () => {
      expect(findCidrProblems(plan({ client: '224.0.0.0/3', max: 1 }))).toEqual([
        'vpn_server.client_cidr 224.0.0.0/3 overlaps reserved block 224.0.0.0/4',
        'vpn_server.client_cidr 224.0.0.0/3 overlaps reserved block 240.0.0.0/4',
      ]);
    });

    test.each([
      ['0.0.0.0/8', '0.0.0.0/8'],
      ['127.0.0.1/32', '127.0.0.0/8'],
      ['224.0.0.0/24', '224.0.0.0/4'],
      ['255.255.255.255/32', '240.0.0.0/4'],
    ])('local subnet %s overlaps %s', (subnet, reservedBlock) => {
      expect(findCidrProblems(plan({ locals: ['192.168.0.0/24', '10.16.0.0/16', subnet] }))).toEqual([
        `vpn_server.local_subnets[2] ${subnet} overlaps reserved block ${reservedBlock}`,
      ]);
    });

    test('link-local is reserved for the client block only, not for local subnets', () => {
      expect(findCidrProblems(plan({ locals: ['169.254.0.0/16'] }))).toEqual([]);
    });

    test('blocks next to a reserved block are fine', () => {
      expect(findCidrProblems(plan({ client: '223.255.0.0/16', locals: ['1.0.0.0/24', '126.255.255.0/24'] }))).toEqual(
        [],
      );
    });
  });

  describe('client_cidr against local subnets', () => {
    test('an overlap names both blocks and the subnet index', () => {
      expect(findCidrProblems(plan({ client: '10.16.0.0/16', locals: ['192.168.0.0/24', '10.16.1.0/24'] }))).toEqual([
        'vpn_server.client_cidr 10.16.0.0/16 overlaps vpn_server.local_subnets[1] 10.16.1.0/24',
      ]);
    });

    test('a subnet containing the client block is an overlap too, reported with its normalised network', () => {
      expect(findCidrProblems(plan({ client: '10.16.4.0/22', locals: ['10.16.9.9/16'] }))).toEqual([
        'vpn_server.client_cidr 10.16.4.0/22 overlaps vpn_server.local_subnets[0] 10.16.0.0/16',
      ]);
    });

    test('adjacent blocks do not overlap', () => {
      expect(findCidrProblems(plan({ client: '10.17.0.0/16', locals: ['10.16.0.0/16', '10.18.0.0/16'] }))).toEqual([]);
    });
  });

  describe('client_cidr against the route table', () => {
    test('an overlapping destination is reported', () => {
      expect(findCidrProblems(plan({ client: '192.168.128.0/24', locals: ['10.16.0.0/16'] }))).toEqual([
        'vpn_server.client_cidr 192.168.128.0/24 overlaps route table destination 192.168.0.0/16',
      ]);
    });

    test('every overlapping destination is reported', () => {
      const problems = findCidrProblems(plan({ routes: ['10.200.1.0/24', '10.0.0.0/8', '10.201.0.0/16'] }));
      expect(problems).toEqual([
        'vpn_server.client_cidr 10.200.0.0/16 overlaps route table destination 10.200.1.0/24',
        'vpn_server.client_cidr 10.200.0.0/16 overlaps route table destination 10.0.0.0/8',
      ]);
    });

    test('the default route 0.0.0.0/0 is never a conflict', () => {
      expect(findCidrProblems(plan({ routes: ['0.0.0.0/0'] }))).toEqual([]);
    });

    test('destinations that are not strict IPv4 CIDRs are skipped', () => {
      const routes = ['::/0', '2001:db8::/32', 'local', '010.200.0.0/16', '10.200.0.0/255.255.0.0', ''];
      expect(findCidrProblems(plan({ routes }))).toEqual([]);
    });

    test('a destination with host bits is compared by its network', () => {
      expect(findCidrProblems(plan({ routes: ['10.200.5.7/24'] }))).toEqual([
        'vpn_server.client_cidr 10.200.0.0/16 overlaps route table destination 10.200.5.0/24',
      ]);
    });
  });

  describe('capacity: more than 4 addresses per connection', () => {
    test.each([
      [50, 24, true], // 256 > 200
      [50, 25, false], // 128
      [10, 26, true], // 64 > 40
      [10, 27, false], // 32
      [500, 21, true], // 2048 > 2000
      [500, 22, false], // 1024
      [64, 24, false], // 256 is exactly 4 x 64
      [63, 24, true], // 256 > 252
      [0, 32, true], // 1 > 0
    ])('max_connection_number %i with a /%i: ok=%s', (max, prefix, ok) => {
      const problems = findCidrProblems(plan({ client: `10.200.0.0/${prefix}`, max }));
      const size = 2 ** (32 - prefix);
      expect(problems).toEqual(
        ok
          ? []
          : [
              `vpn_server.client_cidr 10.200.0.0/${prefix} has ${size} addresses; it needs more than ${4 * max} (4 x max_connection_number ${max})`,
            ],
      );
    });

    test('the message for the contract example', () => {
      expect(findCidrProblems(plan({ client: '172.16.0.0/27', max: 50 }))).toEqual([
        'vpn_server.client_cidr 172.16.0.0/27 has 32 addresses; it needs more than 200 (4 x max_connection_number 50)',
      ]);
    });

    test('property: capacity is monotone in the prefix (a passing prefix means every shorter prefix passes)', () => {
      const maxConnections = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 31 }));
      fc.assert(
        fc.property(maxConnections, (max) => {
          const passes = Array.from(
            { length: 33 },
            (_, prefix) =>
              !findCidrProblems(plan({ client: `10.0.0.0/${prefix}`, max })).some(isCapacityProblem),
          );
          const firstFailure = passes.indexOf(false);
          if (firstFailure >= 0) expect(passes.slice(firstFailure)).not.toContain(true);
          // 0.0.0.0/0 holds 2^32 addresses, so it passes for every max below 2^30.
          if (max < 2 ** 30) expect(passes[0]).toBe(true);
        }),
      );
    });
  });

  describe('duplicate local subnets', () => {
    test('the same network is rejected, also when written with host bits', () => {
      expect(
        findCidrProblems(plan({ locals: ['10.16.0.0/24', '192.168.0.0/24', '172.20.0.0/16', '10.16.0.9/24'] })),
      ).toEqual(['vpn_server.local_subnets[3] 10.16.0.0/24 duplicates vpn_server.local_subnets[0]']);
    });

    test('every later copy points at the first one', () => {
      expect(findCidrProblems(plan({ locals: ['172.20.0.0/16', '172.20.0.0/16', '172.20.0.0/16'] }))).toEqual([
        'vpn_server.local_subnets[1] 172.20.0.0/16 duplicates vpn_server.local_subnets[0]',
        'vpn_server.local_subnets[2] 172.20.0.0/16 duplicates vpn_server.local_subnets[0]',
      ]);
    });

    test('distinct overlapping subnets are allowed', () => {
      expect(findCidrProblems(plan({ locals: ['10.16.0.0/16', '10.16.1.0/24', '10.16.0.0/24'] }))).toEqual([]);
    });

    test('the same address with another prefix is not a duplicate', () => {
      expect(findCidrProblems(plan({ locals: ['10.16.0.0/16', '10.16.0.0/17'] }))).toEqual([]);
    });
  });

  test('all problems are reported in one call', () => {
    const problems = findCidrProblems({
      clientCidr: block('127.0.0.0/30'),
      localSubnets: ['10.0.0.0/8', '224.0.0.0/24', '10.0.0.0/8'].map(block),
      routeDestinations: ['0.0.0.0/0', '127.0.0.0/16'],
      maxConnectionNumber: 1,
    });
    expect(problems).toEqual([
      'vpn_server.client_cidr 127.0.0.0/30 overlaps reserved block 127.0.0.0/8',
      'vpn_server.client_cidr 127.0.0.0/30 has 4 addresses; it needs more than 4 (4 x max_connection_number 1)',
      'vpn_server.local_subnets[1] 224.0.0.0/24 overlaps reserved block 224.0.0.0/4',
      'vpn_server.local_subnets[2] 10.0.0.0/8 duplicates vpn_server.local_subnets[0]',
      'vpn_server.client_cidr 127.0.0.0/30 overlaps route table destination 127.0.0.0/16',
    ]);
  });
});
