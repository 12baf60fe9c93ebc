/** What authentication needs to know of an access key. */
interface ProjectCredential {
  secretKey: string;
  projectIds: readonly string[];
}

/** undefined: no such access key. */
export type CredentialLookup = (accessKey: string) => Promise<ProjectCredential | undefined>;
