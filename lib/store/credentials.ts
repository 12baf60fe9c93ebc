/** Access keys (contract section 8): written by the seed, read by authentication. */
import { keys } from './keys';
import type { TableClient } from './table-client';

export interface Credential {
  access_key: string;
  secret_key: string;
  project_ids: string[];
}

export interface CredentialRepository {
  getCredential(accessKey: string): Promise<Credential | undefined>;
  upsertCredential(credential: Credential): Promise<void>;
}

export const credentialRepository = (table: TableClient): CredentialRepository => ({
  getCredential: (accessKey) => table.get<Credential>(keys.credential(accessKey)),
  upsertCredential: (credential) => table.put(keys.credential(credential.access_key), credential),
});
