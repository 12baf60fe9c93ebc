/** The seed file (contract section 8): neighbouring services' data, validated as a whole, then upserted. */
import { readFile } from 'node:fs/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { accessKeySchema, projectIdSchema } from '../core/ids';
import { validate } from '../core/issues';
import { gatewaySchema } from '../core/gateway';
import { routeTableSchema, storedCertificateSchema } from '../vpn-servers/records';
import type { CredentialRepository } from './credentials';
import type { NeighbourRepository } from './neighbours';
import { createStore } from './store';

const credentialSchema = z.strictObject({
  access_key: accessKeySchema,
  secret_key: z.string().check(z.minLength(16), z.maxLength(128)),
  project_ids: z.array(projectIdSchema).check(z.minLength(1)),
});

const seedSchema = z.strictObject({
  credentials: z.optional(z.array(credentialSchema)),
  p2c_vpn_gateways: z.optional(z.array(gatewaySchema())),
  vpc_route_tables: z.optional(z.array(routeTableSchema)),
  certificates: z.optional(z.array(storedCertificateSchema)),
});
export type Seed = z.infer<typeof seedSchema>;

class SeedError extends Error {
  override name = 'SeedError';
}

/** Validates a parsed seed document; the message names every bad entry, e.g. `p2c_vpn_gateways[1].status`. */
export function validateSeed(document: unknown): Seed {
  const result = validate(seedSchema, document);
  if (result.problems) throw new SeedError(`invalid seed: ${result.problems.join('; ')}`);
  return result.data;
}

export interface SeedSummary {
  credentials: number;
  p2c_vpn_gateways: number;
  vpc_route_tables: number;
  certificates: number;
}

export async function loadSeed(seed: Seed, store: CredentialRepository & NeighbourRepository): Promise<SeedSummary> {
  const writes = [
    ...(seed.credentials ?? []).map((entry) => () => store.upsertCredential(entry)),
    ...(seed.p2c_vpn_gateways ?? []).map((entry) => () => store.upsertGateway(entry)),
    ...(seed.vpc_route_tables ?? []).map((entry) => () => store.upsertRouteTable(entry)),
    ...(seed.certificates ?? []).map((entry) => () => store.upsertCertificate(entry)),
  ];
  for (const write of writes) await write();
  return {
    credentials: seed.credentials?.length ?? 0,
    p2c_vpn_gateways: seed.p2c_vpn_gateways?.length ?? 0,
    vpc_route_tables: seed.vpc_route_tables?.length ?? 0,
    certificates: seed.certificates?.length ?? 0,
  };
}

/** Reads, validates (all or nothing) and upserts a seed file. */
export async function loadSeedFile(file: string, target: { client: DynamoDBClient; tableName: string }): Promise<SeedSummary> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SeedError(`invalid seed ${file}: ${(error as Error).message}`);
  }
  return loadSeed(validateSeed(document), createStore(target.client, target.tableName));
}
