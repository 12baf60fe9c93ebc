/**
 * A real OpenVPN 2.6 handshake for a client profile: an OpenVPN server and client meet on loopback
 * inside a private network namespace (`unshare -n`), so nothing leaves the machine and the tun
 * devices and the 10.8.0.0/24 tunnel network exist only in that namespace.
 *
 * The profile is used exactly as given; the client gets only what a user adds to it on the command
 * line: `--auth-user-pass <file>` (LOCAL_PASSWORD) or `--cert`/`--key` (CERT). Needs root (or the
 * capabilities `unshare -n` and a tun device need), `openvpn`, `unshare`, `ip` and /dev/net/tun.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface Credentials {
  username: string;
  password: string;
}

/** The server checks a username and password (`verify-client-cert none`, `auth-user-pass-verify`). */
interface PasswordAuth {
  type: 'LOCAL_PASSWORD';
  /** what the server accepts */
  accepted: Credentials;
  /** what the client presents; default `accepted` */
  presented?: Credentials;
}

/** The server trusts client certificates issued by `clientCaPems` (`remote-cert-tls client`). */
interface CertAuth {
  type: 'CERT';
  clientCaPems: readonly string[];
  clientCertPem: string;
  clientKeyPem: string;
}

export interface ConnectOptions {
  /** the client profile, exactly as exported */
  profile: string;
  server: {
    certPem: string;
    keyPem: string;
    /** the CA certificates that issued `certPem` (sent after it); absent for a self-signed one */
    chainPem?: string;
  };
  auth: PasswordAuth | CertAuth;
  port: 443 | 1194;
  cipher: 'AES-128-GCM' | 'AES-256-GCM';
  /** the server compresses with `compress lz4-v2` (and does not push it: the profile must say so) */
  compression: boolean;
  /** default 30 s */
  timeoutMs?: number;
}

/** What a "Data Channel: cipher '...', peer-id: n[, compression: '...']" line of a log says. */
interface DataChannel {
  cipher: string;
  /** 'none' when the line names no compression */
  compression: string;
}

export interface ConnectResult {
  /** the client logged "Initialization Sequence Completed" */
  connected: boolean;
  clientLog: string;
  /** the server's log, then the harness's own notes (lines starting with "[harness]") */
  serverLog: string;
  /** the data channel each side set up; both must agree for packets to pass */
  dataChannel: { client?: DataChannel; server?: DataChannel };
}

const TOOLS = ['openvpn', 'unshare', 'ip'] as const;
const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
const ENV_PATH = SEARCH_PATH.filter(Boolean).join(delimiter);
const DEFAULT_TIMEOUT_MS = 30_000;
/** How long the namespace's shell gets to stop both OpenVPN processes before everything is killed. */
const STOP_GRACE_MS = 10_000;
const POLL_MS = 100;
const COMPLETED = 'Initialization Sequence Completed';
/** The client gave up on its first attempt (OpenVPN would retry or exit): the handshake failed. */
const CLIENT_GAVE_UP = /process restarting|process exiting|Exiting due to fatal error/;
const DATA_CHANNEL = /Data Channel: cipher '([^']+)', peer-id: \d+(?:, compression: '([^']+)')?/g;

function onPath(tool: string): boolean {
  return SEARCH_PATH.some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why the handshake cannot run on this machine, naming the missing tool (or failing capability);
 * undefined when it can (for describeWithPrerequisites).
 */
export function openVpnUnavailable(): string | undefined {
  const missing = TOOLS.filter((tool) => !onPath(tool));
  if (missing.length > 0) {
    return `${missing.join(', ')} not found on PATH (Debian: apt-get install -y openvpn iproute2 util-linux)`;
  }
  if (!existsSync('/dev/net/tun')) return '/dev/net/tun does not exist (OpenVPN needs a tun device)';
  const probe = spawnSync('unshare', ['-n', 'true'], { env: { ...process.env, PATH: ENV_PATH }, timeout: 10_000 });
  if (probe.status !== 0) {
    return `unshare -n fails (${probe.stderr?.toString().trim() || probe.error?.message || `exit ${probe.status}`}); it needs root`;
  }
  return undefined;
}

/** The server configuration for these options; file names are relative to the run's directory. */
function serverConfig(options: Pick<ConnectOptions, 'auth' | 'port' | 'cipher' | 'compression'>, dir: string): string {
  const lines = [
    'dev tun',
    'proto tcp-server',
    'local 127.0.0.1',
    `port ${options.port}`,
    'topology subnet',
    'server 10.8.0.0 255.255.255.0',
    // CERT: the client CAs it trusts; LOCAL_PASSWORD: no client certificate is asked for, but OpenVPN
    // wants a CA file, so it gets its own chain.
    `ca ${dir}/server-ca.pem`,
    `cert ${dir}/server.pem`,
    `key ${dir}/server.key`,
    'dh none',
    `data-ciphers ${options.cipher}`,
    'auth SHA256',
    'reneg-sec 0',
    'verb 3',
  ];
  if (options.auth.type === 'LOCAL_PASSWORD') {
    lines.push(
      'verify-client-cert none',
      'username-as-common-name',
      'script-security 2',
      `auth-user-pass-verify ${dir}/check-password.sh via-file`,
    );
  } else {
    lines.push('remote-cert-tls client');
  }
  if (options.compression) lines.push('allow-compression yes', 'compress lz4-v2');
  return `${lines.join('\n')}\n`;
}

/** The shell run inside the namespace: loopback up, the server, once it is ready the client. On
 * SIGTERM it stops both and waits for them, so the namespace is gone when it exits. */
function namespaceScript(clientArgs: string): string {
  return `
server=; client=
trap 'kill $server $client 2>/dev/null; wait; exit 0' TERM INT
note() { echo "[harness] $*" >>harness.log; }
ip link set lo up || { note "ip link set lo up failed"; exit 90; }
openvpn --config server.conf >server.log 2>&1 &
server=$!
tries=0
until grep -q '${COMPLETED}' server.log; do
  if ! kill -0 $server 2>/dev/null; then note "the OpenVPN server exited before it was ready"; exit 91; fi
  tries=$((tries + 1))
  if [ $tries -gt 200 ]; then note "the OpenVPN server was not ready after 20 s"; kill $server; wait; exit 92; fi
  sleep 0.1
done
openvpn --config profile.ovpn ${clientArgs} >client.log 2>&1 &
client=$!
wait $client
note "the OpenVPN client exited with status $?"
kill $server 2>/dev/null; wait
`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function lastDataChannel(log: string): DataChannel | undefined {
  const matches = [...log.matchAll(DATA_CHANNEL)];
  const last = matches[matches.length - 1];
  return last && { cipher: last[1]!, compression: last[2] ?? 'none' };
}

function checkCredentials(credentials: Credentials, what: string): void {
  for (const [field, value] of Object.entries(credentials)) {
    if (value === '' || /[\r\n\0]/.test(value)) throw new Error(`${what}.${field} must be one non-empty line`);
  }
}

function writePrivate(file: string, text: string, mode = 0o600): void {
  writeFileSync(file, text, { mode });
}

/**
 * Starts an OpenVPN server and the profile's client in a private network namespace and waits until
 * the client logs "Initialization Sequence Completed" and the server has set up its data channel,
 * the client gives up its first attempt, the namespace's shell exits, or the timeout passes. Stops
 * both processes and removes its files before it resolves.
 */
export async function connect(options: ConnectOptions): Promise<ConnectResult> {
  const dir = mkdtempSync(join(tmpdir(), 'p2c-openvpn-'));
  // OpenVPN splits its script and file arguments on whitespace
  if (!/^[\w/.-]+$/.test(dir)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`temporary directory ${dir} has characters OpenVPN's configuration cannot hold`);
  }
  try {
    const { auth, server } = options;
    // the server sends its chain after its certificate, as a real one does
    const certAndChain = [server.certPem, server.chainPem ?? ''].map((pem) => pem.trim()).filter(Boolean);
    writePrivate(join(dir, 'server.pem'), `${certAndChain.join('\n')}\n`);
    writePrivate(join(dir, 'server.key'), server.keyPem);
    writePrivate(join(dir, 'profile.ovpn'), options.profile);
    writePrivate(join(dir, 'server.conf'), serverConfig(options, dir));
    let clientArgs: string;
    if (auth.type === 'LOCAL_PASSWORD') {
      const presented = auth.presented ?? auth.accepted;
      checkCredentials(auth.accepted, 'auth.accepted');
      checkCredentials(presented, 'auth.presented');
      writePrivate(join(dir, 'server-ca.pem'), server.chainPem ?? server.certPem);
      writePrivate(join(dir, 'accepted.txt'), `${auth.accepted.username}\n${auth.accepted.password}\n`);
      writePrivate(join(dir, 'creds.txt'), `${presented.username}\n${presented.password}\n`);
      writePrivate(
        join(dir, 'check-password.sh'),
        [
          '#!/bin/sh',
          '# $1: a file with the username and the password the client sent, one a line',
          '{ IFS= read -r user; IFS= read -r pass; } <"$1" || exit 1',
          `{ IFS= read -r want_user; IFS= read -r want_pass; } <${dir}/accepted.txt || exit 1`,
          '[ "$user" = "$want_user" ] && [ "$pass" = "$want_pass" ]',
          '',
        ].join('\n'),
        0o700,
      );
      clientArgs = '--auth-user-pass creds.txt';
    } else {
      if (auth.clientCaPems.length === 0) throw new Error('auth.clientCaPems: a CERT server trusts at least one CA');
      writePrivate(join(dir, 'server-ca.pem'), auth.clientCaPems.map((pem) => `${pem.trim()}\n`).join(''));
      writePrivate(join(dir, 'client.pem'), auth.clientCertPem);
      writePrivate(join(dir, 'client.key'), auth.clientKeyPem);
      clientArgs = '--cert client.pem --key client.key';
    }

    const child = spawn('unshare', ['-n', 'sh', '-c', namespaceScript(clientArgs)], {
      cwd: dir,
      env: { ...process.env, PATH: ENV_PATH },
      detached: true, // its own process group, so nothing it started can outlive it (see stop)
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    const exit = new Promise<void>((done) => {
      child.once('exit', () => {
        exited = true;
        done();
      });
      child.once('error', (error) => {
        stderr += `${error.message}\n`;
        exited = true;
        done();
      });
    });

    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let notes = '';
    for (;;) {
      const clientLog = readText(join(dir, 'client.log'));
      if (clientLog.includes(COMPLETED)) {
        if (lastDataChannel(readText(join(dir, 'server.log')))) break;
      } else if (CLIENT_GAVE_UP.test(clientLog)) {
        break;
      }
      if (exited) break;
      if (Date.now() >= deadline) {
        notes += `[harness] timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms\n`;
        break;
      }
      await sleep(POLL_MS);
    }
    await stop(child, exit, () => exited);

    const clientLog = readText(join(dir, 'client.log'));
    const serverOnly = readText(join(dir, 'server.log'));
    const harness = readText(join(dir, 'harness.log')) + (stderr && `[harness] stderr: ${stderr}`) + notes;
    return {
      connected: clientLog.includes(COMPLETED),
      clientLog,
      serverLog: serverOnly + harness,
      dataChannel: { client: lastDataChannel(clientLog), server: lastDataChannel(serverOnly) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SIGTERM to the namespace's shell (it stops both OpenVPN processes and waits for them); whatever of
 * its process group is still running after the grace period gets SIGKILL. */
async function stop(child: ChildProcess, exit: Promise<void>, exited: () => boolean): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (!exited()) child.kill('SIGTERM');
  const until = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pid) && Date.now() < until) {
    if (exited()) signalGroup(pid, 'SIGTERM'); // the shell is gone but left something behind
    await sleep(POLL_MS);
  }
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
  await exit;
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // no process is left in the group
  }
}

const groupAlive = (pid: number): boolean => signalGroup(pid, 0);
