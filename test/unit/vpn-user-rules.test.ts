import { addressNumber, block } from '../../lib/core/ipv4';
import {
  DESCRIPTION_RULE,
  GROUP_NAME_RULE,
  PASSWORD_RULE,
  USER_NAME_PATTERN,
  descriptionProblem,
  groupNameProblem,
  nameKey,
  passwordProblem,
  policyNameProblem,
} from '../../lib/vpn-users/rules';
import { staticIpProblem } from '../../lib/core/static-ip';

describe('user names', () => {
  test.each(['abcd', 'a'.repeat(32), 'tf_test_abcde', 'user.name-1', 'A1_.'])('%p is a user name', (name) => {
    expect(USER_NAME_PATTERN.test(name)).toBe(true);
  });

  test.each(['abc', 'a'.repeat(33), 'user name', 'usér', 'user@x', '', 'a\nbcd'])('%p is not', (name) => {
    expect(USER_NAME_PATTERN.test(name)).toBe(false);
  });

  test('uniqueness ignores case', () => {
    expect(nameKey('Alice.1')).toBe(nameKey('aLICE.1'));
    expect(nameKey('alice')).not.toBe(nameKey('alice2'));
  });
});

describe('passwords', () => {
  test.each([
    ['eight characters, two kinds', 'abcdefg1'],
    ['32 characters', `${'a'.repeat(31)}1`],
    ['letters of both cases', 'abcdEFGH'],
    ['specials and a space', 'abcd efg!'],
    ["Terraform's acceptance values", 'Typhoeus123'],
    ['the first half of the specials', 'a~`!@#$%^&*()-_=+'],
    ['the second half of the specials', 'a\\|[{}];:\'",<.>/? '],
  ])('%s is accepted', (_label, password) => {
    expect(passwordProblem(password, 'alice')).toBeUndefined();
  });

  test.each([
    ['seven characters', 'abcdef1'],
    ['33 characters', `${'a'.repeat(32)}1`],
    ['one kind only', 'abcdefgh'],
    ['digits only', '12345678'],
    ['a character outside the four kinds', 'abcdefg1é'],
    ['a tab', 'abcdefg1\t'],
    ['the user name', 'Alice1234'],
    ['the user name reversed', '4321ecila'],
  ])('%s is refused', (_label, password) => {
    expect(passwordProblem(password, 'alice1234')).toBe(PASSWORD_RULE);
  });

  test('the rule names no password', () => {
    expect(PASSWORD_RULE).not.toMatch(/Typhoeus|abcdefg/);
  });
});

describe('descriptions', () => {
  test.each(['', 'test', 'test0 ', '用户描述-update', 'x'.repeat(64), 'é'.repeat(64)])('%p is accepted', (description) => {
    expect(descriptionProblem(description)).toBeUndefined();
  });

  test.each(['x'.repeat(65), 'line\nbreak', 'tab\there', 'nul\u0000', 'del\u007f', 'c1\u0085'])('%p is refused', (description) => {
    expect(descriptionProblem(description)).toBe(DESCRIPTION_RULE);
  });
});

describe('group and policy names', () => {
  test.each(['g', 'user-group1', 'tf_test_abcde-update', '用户组1', 'x'.repeat(64)])('%p is a group name', (name) => {
    expect(groupNameProblem(name)).toBeUndefined();
  });

  test.each(['', 'x'.repeat(65), 'with space', 'dot.ted', 'slash/'])('%p is not', (name) => {
    expect(groupNameProblem(name)).toBe(GROUP_NAME_RULE);
  });

  test.each(['default', 'Default', 'DEFAULT'])('%p is the default group\'s', (name) => {
    expect(groupNameProblem(name)).toMatch(/default group's name/);
  });

  test('a policy may be called default, and follows the group name rule otherwise', () => {
    expect(policyNameProblem('default')).toBeUndefined();
    expect(policyNameProblem('策略-1')).toBeUndefined();
    expect(policyNameProblem('with space')).toBe(GROUP_NAME_RULE);
    expect(policyNameProblem('x'.repeat(65))).toBe(GROUP_NAME_RULE);
  });
});

describe('static IPs', () => {
  const cidr = block('192.168.10.0/24');
  const problem = (address: string) => staticIpProblem(addressNumber(address), cidr);

  test.each(['192.168.10.5', '192.168.10.9', '192.168.10.253'])('%p is the first address of a /30 in the block', (address) => {
    expect(problem(address)).toBeUndefined();
  });

  test('the first usable address is the gateway\'s end of the tunnel', () => {
    expect(problem('192.168.10.1')).toMatch(/first usable address of client_cidr 192\.168\.10\.0\/24/);
  });

  test.each(['192.168.10.4', '192.168.10.6', '192.168.10.7', '192.168.10.0', '192.168.10.255'])('%p is not the first of its /30', (address) => {
    expect(problem(address)).toMatch(/first address of a \/30 block/);
  });

  test.each(['192.168.11.5', '192.168.9.253', '10.0.0.5'])('%p is outside the block', (address) => {
    expect(problem(address)).toBe('is not in client_cidr 192.168.10.0/24');
  });
});
