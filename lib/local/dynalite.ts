import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** dynalite ships no type declarations; this is the part of its API used here. */
type CreateDynalite = (options: { path?: string; createTableMs?: number }) => Server;
const createDynalite = require('dynalite') as CreateDynalite;

export interface LocalDynamoDb {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite on `port` (0: any free port), in memory unless `path` names a directory for its
 * LevelDB files (created if missing).
 */
export async function startDynalite(options: { port: number; path?: string }): Promise<LocalDynamoDb> {
  if (options.path) await mkdir(options.path, { recursive: true });
  // tables become ACTIVE at once instead of after dynalite's simulated 500 ms
  const server = createDynalite({ createTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
