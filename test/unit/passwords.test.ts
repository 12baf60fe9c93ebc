import { PASSWORD_HISTORY, SCRYPT_PARAMETERS, hashPassword, matchesAny, passwordMatches, withNewPassword, type PasswordHash } from '../../lib/vpn-users/passwords';

// scrypt at OWASP's cost takes tens of milliseconds a hash, more on a loaded machine
jest.setTimeout(60_000);

const PASSWORD = 'Typhoeus123';

describe('password hashes', () => {
  test('a hash holds the salt and the key, never the password, its base64 or its hex', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatchObject({ algorithm: 'scrypt', ...SCRYPT_PARAMETERS });
    const text = JSON.stringify(stored);
    for (const form of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(PASSWORD).toString('hex')]) {
      expect(text).not.toContain(form);
    }
  });

  test('two hashes of one password differ (each has its own salt) and both match it', async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
    await expect(passwordMatches(PASSWORD, first)).resolves.toBe(true);
    await expect(passwordMatches(PASSWORD, second)).resolves.toBe(true);
  });

  test('another password, one character off at either end, does not match', async () => {
    const stored = await hashPassword(PASSWORD);
    await expect(passwordMatches('Typhoeus124', stored)).resolves.toBe(false);
    await expect(passwordMatches('typhoeus123', stored)).resolves.toBe(false);
    await expect(passwordMatches('', stored)).resolves.toBe(false);
  });

  test("the parameters are at least one of OWASP's minimum settings for scrypt", () => {
    // OWASP Password Storage Cheat Sheet: equally strong minimums, trading memory (N) for passes (p)
    const minimums = [
      { N: 2 ** 17, r: 8, p: 1 },
      { N: 2 ** 16, r: 8, p: 2 },
      { N: 2 ** 15, r: 8, p: 3 },
      { N: 2 ** 14, r: 8, p: 5 },
      { N: 2 ** 13, r: 8, p: 10 },
    ];
    const { N, r, p } = SCRYPT_PARAMETERS;
    expect(minimums.some((minimum) => N >= minimum.N && r >= minimum.r && p >= minimum.p)).toBe(true);
  });
});

describe('the reuse rule', () => {
  test('over 5 changes the last 5 passwords are refused and the 6th oldest is free again', async () => {
    const passwords = ['Password01', 'Password02', 'Password03', 'Password04', 'Password05', 'Password06'];
    let history: PasswordHash[] = [];
    for (const password of passwords) {
      expect(await matchesAny(password, history)).toBe(false);
      history = withNewPassword(history, await hashPassword(password));
    }
    expect(history).toHaveLength(PASSWORD_HISTORY);
    expect(await matchesAny('Password01', history)).toBe(false);
    for (const recent of passwords.slice(1)) expect(await matchesAny(recent, history)).toBe(true);
    await expect(passwordMatches('Password06', history[0]!)).resolves.toBe(true);
  });
});
