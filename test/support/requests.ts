/** Request bodies and ids shared by the tests: the demo seed's projects and gateways, and the
 * reference page's examples. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoSeed } from './local-table';

const seed = demoSeed();
const gateways = seed.p2c_vpn_gateways ?? [];
const credentials = seed.credentials ?? [];

export const PROJECT = gateways[0]!.project_id;
export const OTHER_PROJECT = gateways.find((gateway) => gateway.project_id !== PROJECT)!.project_id;
export const GATEWAY = gateways[0]!.id;
export const SECOND_GATEWAY = gateways.filter((gateway) => gateway.project_id === PROJECT && gateway.status === 'ACTIVE')[1]!.id;
export const INACTIVE_GATEWAY = gateways.find((gateway) => gateway.status !== 'ACTIVE')!.id;
export const OTHER_PROJECT_GATEWAY = gateways.find((gateway) => gateway.project_id === OTHER_PROJECT)!.id;
export const SERVER_CERTIFICATE_ID = 'scs1716171403922';
export const DEMO_CREDENTIAL = { accessKey: credentials[0]!.access_key, secretKey: credentials[0]!.secret_key };
export const OTHER_CREDENTIAL = { accessKey: credentials[1]!.access_key, secretKey: credentials[1]!.secret_key };

const fixtures = path.join(__dirname, '../fixtures');
export const readFixture = (relative: string): string => readFileSync(path.join(fixtures, relative), 'utf8');
export const certificatePem = (name: string): string => readFixture(`certs/${name}.pem`);

type Body = { vpn_server: Record<string, unknown> };
export const certAuthExample = (): Body => JSON.parse(readFixture('examples/create-server-cert-auth.json'));
export const passwordAuthExample = (): Body => JSON.parse(readFixture('examples/create-server-password-auth.json'));

/** The password example with fields replaced. */
export const passwordBody = (changes: Record<string, unknown> = {}): Body => {
  const body = passwordAuthExample();
  return { vpn_server: { ...body.vpn_server, ...changes } };
};

/** `count` distinct client CA certificates that pass every check (the bench's ten, then fixtures). */
export function validClientCaPems(count: number): string[] {
  const bench = readFileSync(path.join(__dirname, '../bench/fixtures/client-cas.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];
  const more = ['certs/demo-ca', 'certs/ec-p256-ca', 'certs/ec-p384-ca', 'certs/rsa-pss-sha256-ca', 'pki/client-ca', 'pki/root-ca', 'pki/untrusted-client-ca'];
  const pems = [...bench, ...more.map((name) => readFixture(`${name}.pem`))];
  if (pems.length < count) throw new Error(`only ${pems.length} distinct valid client CA fixtures`);
  return pems.slice(0, count);
}
