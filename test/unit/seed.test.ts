/** The seed file's gateways (CONTRACT.md sections 8 and 11.1): the fields of older seeds, the optional
 * read-only fields of a gateway, and what no seed may give. */
import { validateSeed } from '../../lib/store/seed';

const PROJECT = '0123456789abcdef0123456789abcdef';
const minimal = {
  project_id: PROJECT,
  id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  name: 'gw',
  vpc_id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  status: 'ACTIVE',
  max_connection_number: 50,
};
const full = {
  ...minimal,
  flavor: 'Professional1',
  connect_subnet: '0f1e2d3c-4b5a-4968-8776-655443322110',
  availability_zone_ids: ['cn-north-4a', 'cn-north-4b'],
  enterprise_project_id: '0',
  tags: [{ key: 'env', value: 'demo' }, { key: 'empty', value: '' }],
  created_at: '2024-06-17T06:53:46.302Z',
  updated_at: '2024-06-18T00:00:00Z',
  eip: {
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    ip_version: 4,
    ip_billing_info: 'order-id:product-id:region-id:project-id',
    type: '5_bgp',
    ip_address: '203.0.113.10',
    charge_mode: 'bandwidth',
    bandwidth_id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    bandwidth_size: 300,
    bandwidth_name: 'p2c-vgw-demo-bandwidth',
    bandwidth_billing_info: 'order-id:product-id:region-id:project-id',
    share_type: 'PER',
  },
};

const problemsOf = (gateway: object): string => {
  try {
    validateSeed({ p2c_vpn_gateways: [minimal, gateway] });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

test('a gateway of an older seed and one with every read-only field of section 11.1 are both valid, kept as given', () => {
  expect(validateSeed({ p2c_vpn_gateways: [minimal, full] }).p2c_vpn_gateways).toEqual([minimal, full]);
  expect(validateSeed({ p2c_vpn_gateways: [{ ...minimal, enterprise_project_id: full.eip.id, availability_zone_ids: [], tags: [] }] })).toBeDefined();
});

test.each([
  ['current_connection_number', { current_connection_number: 0 }, 'p2c_vpn_gateways[1].current_connection_number: unknown field'],
  ['a field Huawei has but the seed does not take', { order_id: 'x' }, 'p2c_vpn_gateways[1].order_id: unknown field'],
  ['an eip field of another name', { eip: { ...full.eip, bandwidth: 1 } }, 'p2c_vpn_gateways[1].eip.bandwidth: unknown field'],
  ['a flavor with a space', { flavor: 'Pro 1' }, 'p2c_vpn_gateways[1].flavor: must be 1 to 64 letters'],
  ['a connect_subnet that is no id', { connect_subnet: 'subnet-1' }, 'p2c_vpn_gateways[1].connect_subnet: must be a lowercase UUID'],
  ['an availability zone in capitals', { availability_zone_ids: ['CN-NORTH-4A'] }, 'p2c_vpn_gateways[1].availability_zone_ids[0]: must be an availability zone'],
  ['an enterprise project id neither "0" nor a UUID', { enterprise_project_id: 'default' }, 'p2c_vpn_gateways[1].enterprise_project_id: must be "0" or a lowercase UUID'],
  ['a tag without a key', { tags: [{ value: 'x' }] }, 'p2c_vpn_gateways[1].tags[0].key: is required'],
  ['a created_at with a zone offset', { created_at: '2024-06-17T06:53:46+08:00' }, 'p2c_vpn_gateways[1].created_at: must be a UTC time'],
  ['an ip_version 5', { eip: { ...full.eip, ip_version: 5 } }, 'p2c_vpn_gateways[1].eip.ip_version'],
  ['a share_type in lower case', { eip: { ...full.eip, share_type: 'per' } }, 'p2c_vpn_gateways[1].eip.share_type: must be one of "WHOLE", "PER"'],
  ['an eip without its address', { eip: { id: full.eip.id } }, 'p2c_vpn_gateways[1].eip.ip_address: is required'],
])('%s is refused, naming the entry and the field', (_label, change, message) => {
  expect(problemsOf({ ...full, ...change })).toContain(message);
});
