import { createHash, createHmac } from 'node:crypto';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { HcClient, type HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest';
import { assertProjectAccess } from '../../lib/auth/project-access';
import {
  canonicalRequest,
  parseAuthorization,
  signRequest,
  verifyRequest,
  type SignableRequest,
} from '../../lib/auth/signing';
import { gatewayServersPath, projectServersPath } from '../support/paths';
import { failure } from '../support/use-cases';

const AK = 'HPUAEXAMPLEACCESSKEY';
const SK = 'example-secret-key-0123456789abcdefghij';
const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = 'b5a1e6f2-4c1d-4f8e-9a3b-7c2d1e0f9a8b';
const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_SDK_DATE = '20260301T120000Z';
const MINUTE = 60_000;

interface Credential {
  secretKey: string;
  projectIds: string[];
}
const lookup = async (accessKey: string): Promise<Credential | undefined> =>
  accessKey === AK ? { secretKey: SK, projectIds: [PROJECT] } : undefined;

const expectRefused = (promise: Promise<unknown>) =>
  expect(promise).rejects.toMatchObject({ code: 'APIGW.0301', status: 401 });

/** An independent rendering of CONTRACT.md section 2, so the tests do not only check the module against itself. */
function referenceSign(options: {
  method: string;
  path: string;
  query?: [string, string][];
  headers: Record<string, string>;
  signedHeaders: string[];
  body: string;
  date: string;
  accessKey?: string;
  secretKey?: string;
}): string {
  const encode = (value: string) =>
    encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const uri = `${options.path.split('/').map(encode).join('/')}${options.path.endsWith('/') ? '' : '/'}`;
  const query = [...(options.query ?? [])]
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
  const headerLines = options.signedHeaders.map((name) => `${name}:${(options.headers[name] ?? '').trim()}\n`).join('');
  const hash = (data: string) => createHash('sha256').update(data).digest('hex');
  const canonical = [options.method, uri, query, headerLines, options.signedHeaders.join(';'), hash(options.body)].join(
    '\n',
  );
  const signature = createHmac('sha256', options.secretKey ?? SK)
    .update(`SDK-HMAC-SHA256\n${options.date}\n${hash(canonical)}`)
    .digest('hex');
  return `SDK-HMAC-SHA256 Access=${options.accessKey ?? AK}, SignedHeaders=${options.signedHeaders.join(';')}, Signature=${signature}`;
}

const CREATE_PATH = gatewayServersPath(PROJECT, GATEWAY);
const CREATE_BODY = JSON.stringify({
  vpn_server: { client_cidr: '172.16.0.0/22', local_subnets: ['10.0.0.0/16'], ssl_options: {} },
});

/** A Node-SDK-shaped POST (content-type, host, x-sdk-date signed), signed by the reference implementation. */
function signedCreate(overrides: { date?: string; signedHeaders?: string[]; secretKey?: string; accessKey?: string } = {}): SignableRequest {
  const date = overrides.date ?? NOW_SDK_DATE;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: 'vpn.example.com',
    'x-sdk-date': date,
  };
  const authorization = referenceSign({
    method: 'POST',
    path: CREATE_PATH,
    headers,
    signedHeaders: overrides.signedHeaders ?? ['content-type', 'host', 'x-sdk-date'],
    body: CREATE_BODY,
    date,
    ...(overrides.secretKey === undefined ? {} : { secretKey: overrides.secretKey }),
    ...(overrides.accessKey === undefined ? {} : { accessKey: overrides.accessKey }),
  });
  return {
    method: 'POST',
    path: CREATE_PATH,
    query: {},
    headers: { 'Content-Type': 'application/json', Host: 'vpn.example.com', 'X-Sdk-Date': date, Authorization: authorization },
    body: Buffer.from(CREATE_BODY),
  };
}

const sdkDate = (offsetMs: number) =>
  `${new Date(NOW.getTime() + offsetMs).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

describe('requests signed by the official Node SDK (@huaweicloud/huaweicloud-sdk-core)', () => {
  /** Runs HcClient with an HTTP client that captures the signed request instead of sending it. */
  async function sdkSigned(options: HttpRequestOptions): Promise<{ request: SignableRequest; sent: IHttpRequest }> {
    let sent: IHttpRequest | undefined;
    const client = new HcClient({
      sendRequest: async (request: IHttpRequest) => {
        sent = request;
        return { statusCode: 200, headers: {}, data: {} } as never;
      },
    })
      .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT))
      .withEndpoints(['http://localhost:3000']);
    await client.sendRequest(options);
    if (!sent) throw new Error('the SDK sent nothing');
    const url = new URL(sent.endpoint as string);
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries((sent.queryParams ?? {}) as Record<string, unknown>)) query[name] = String(value);
    return {
      sent,
      request: {
        method: sent.method as string,
        path: url.pathname,
        query,
        headers: sent.headers as Record<string, string>,
        // axios sends JSON.stringify(data), which is also what the SDK hashes
        body: sent.data === undefined ? '' : JSON.stringify(sent.data),
      },
    };
  }

  it('accepts a create (POST with a JSON body) and signs exactly what signRequest signs', async () => {
    const { request, sent } = await sdkSigned({
      method: 'POST',
      url: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers',
      contentType: 'application/json;charset=UTF-8',
      queryParams: {},
      pathParams: { p2c_vgw_id: GATEWAY },
      headers: { 'X-Client-Token': '2f0b7f3e-61a6-4d54-9c1e-8d1a0f7a4b11' },
      data: JSON.parse(CREATE_BODY),
    });
    const parsed = parseAuthorization(request.headers.Authorization);
    expect(parsed?.signedHeaders).toEqual(['content-type', 'host', 'x-client-token', 'x-project-id', 'x-sdk-date']);

    const now = new Date();
    await expect(verifyRequest(request, lookup, now)).resolves.toMatchObject({ accessKey: AK });

    const sdkDateHeader = (sent.headers as Record<string, string>)['X-Sdk-Date'] as string;
    const at = new Date(sdkDateHeader.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const { Authorization: _, 'X-Sdk-Date': __, ...unsigned } = request.headers;
    const ours = signRequest({ ...request, headers: unsigned }, { accessKey: AK, secretKey: SK }, at);
    expect(ours).toEqual({ 'X-Sdk-Date': sdkDateHeader, Authorization: request.headers.Authorization });
  });

  it('accepts a list with a query string that needs encoding', async () => {
    const { request } = await sdkSigned({
      method: 'GET',
      url: '/v5/{project_id}/vpn-servers',
      contentType: 'application/json',
      queryParams: { marker: "a b/c*'(é)", limit: 5 },
      pathParams: {},
      headers: {},
    });
    await expect(verifyRequest(request, lookup, new Date())).resolves.toMatchObject({ accessKey: AK });
    await expectRefused(verifyRequest({ ...request, query: { ...request.query, limit: '6' } }, lookup, new Date()));
  });

  it('accepts a body-less request the SDK marks UNSIGNED-PAYLOAD, but not with a body added', async () => {
    const { request } = await sdkSigned({
      method: 'GET',
      url: '/v5/{project_id}/vpn-servers',
      contentType: 'text/plain',
      queryParams: {},
      pathParams: {},
      headers: {},
    });
    expect(request.headers['X-Sdk-Content-Sha256']).toBe('UNSIGNED-PAYLOAD');
    await expect(verifyRequest(request, lookup, new Date())).resolves.toMatchObject({ accessKey: AK });
    await expectRefused(verifyRequest({ ...request, body: '{"x":1}' }, lookup, new Date()));
  });
});

describe('Go-SDK-style requests (SignedHeaders without content-type and host)', () => {
  it('accepts x-sdk-date as the only signed header', async () => {
    const headers = { 'x-sdk-date': NOW_SDK_DATE };
    const request: SignableRequest = {
      method: 'POST',
      path: CREATE_PATH,
      query: {},
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        Authorization: referenceSign({ method: 'POST', path: CREATE_PATH, headers, signedHeaders: ['x-sdk-date'], body: CREATE_BODY, date: NOW_SDK_DATE }),
      },
      body: CREATE_BODY,
    };
    await expect(verifyRequest(request, lookup, NOW)).resolves.toEqual({
      accessKey: AK,
      credential: { secretKey: SK, projectIds: [PROJECT] },
    });
    // content-type is not signed, so changing it does not break the signature
    await expect(
      verifyRequest({ ...request, headers: { ...request.headers, 'Content-Type': 'text/plain' } }, lookup, NOW),
    ).resolves.toMatchObject({ accessKey: AK });
  });

  it('accepts a sorted, encoded query string, with repeated parameters', async () => {
    const path = projectServersPath(PROJECT);
    const headers = { 'x-sdk-date': NOW_SDK_DATE };
    const pairs: [string, string][] = [
      ['marker', 'x y+z=~'],
      ['limit', '10'],
      ['tag', 'b'],
      ['tag', 'a'],
    ];
    const request: SignableRequest = {
      method: 'GET',
      path,
      query: { marker: 'x y+z=~', limit: '10', tag: ['b', 'a'] },
      headers: {
        ...headers,
        Authorization: referenceSign({ method: 'GET', path, query: pairs, headers, signedHeaders: ['x-sdk-date'], body: '', date: NOW_SDK_DATE }),
      },
      body: new Uint8Array(0),
    };
    await expect(verifyRequest(request, lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    expect(canonicalRequest(request, ['x-sdk-date']).split('\n')[2]).toBe('limit=10&marker=x%20y%2Bz%3D~&tag=a&tag=b');
  });

  it('canonicalises the path with every segment encoded and a trailing slash', () => {
    const request: SignableRequest = { method: 'get', path: "/v5/a b/it's*", query: {}, headers: {}, body: '' };
    expect(canonicalRequest(request, []).split('\n').slice(0, 2)).toEqual(['GET', '/v5/a%20b/it%27s%2A/']);
  });
});

describe('refused with APIGW.0301', () => {
  it('baseline: the untampered request is accepted', async () => {
    await expect(verifyRequest(signedCreate(), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
  });

  it('a changed body', async () => {
    await expectRefused(verifyRequest({ ...signedCreate(), body: CREATE_BODY.replace('/22', '/21') }, lookup, NOW));
  });

  it('a changed path', async () => {
    await expectRefused(verifyRequest({ ...signedCreate(), path: CREATE_PATH.replace(PROJECT, 'f'.repeat(32)) }, lookup, NOW));
  });

  it('a changed query', async () => {
    await expectRefused(verifyRequest({ ...signedCreate(), query: { limit: '1' } }, lookup, NOW));
  });

  it('a changed signed header value', async () => {
    const request = signedCreate();
    await expectRefused(verifyRequest({ ...request, headers: { ...request.headers, Host: 'evil.example.com' } }, lookup, NOW));
  });

  it('a wrong secret', async () => {
    await expectRefused(verifyRequest(signedCreate({ secretKey: `${SK}x` }), lookup, NOW));
  });

  it('an unknown access key', async () => {
    await expectRefused(verifyRequest(signedCreate({ accessKey: 'UNKNOWNKEY' }), lookup, NOW));
  });

  it('a date 16 minutes stale or 16 minutes in the future, but not 14', async () => {
    await expectRefused(verifyRequest(signedCreate({ date: sdkDate(-16 * MINUTE) }), lookup, NOW));
    await expectRefused(verifyRequest(signedCreate({ date: sdkDate(16 * MINUTE) }), lookup, NOW));
    await expect(verifyRequest(signedCreate({ date: sdkDate(-14 * MINUTE) }), lookup, NOW)).resolves.toBeDefined();
    await expect(verifyRequest(signedCreate({ date: sdkDate(14 * MINUTE) }), lookup, NOW)).resolves.toBeDefined();
  });

  it('a date exactly 15 minutes stale or in the future, but not one second more', async () => {
    const limit = 15 * MINUTE;
    await expect(verifyRequest(signedCreate({ date: sdkDate(-limit) }), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    await expect(verifyRequest(signedCreate({ date: sdkDate(limit) }), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    for (const offset of [-(limit + 1_000), limit + 1_000]) {
      const error = await failure(verifyRequest(signedCreate({ date: sdkDate(offset) }), lookup, NOW));
      expect(error).toMatchObject({ code: 'APIGW.0301', status: 401, cause: 'X-Sdk-Date too far from now' });
    }
  });

  it('a signature that differs from the right one in its last character only', async () => {
    const request = signedCreate();
    const authorization = request.headers.Authorization!;
    const last = authorization.at(-1)!;
    const changed = `${authorization.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    expect(parseAuthorization(changed)?.signature).toMatch(/^[0-9a-f]{64}$/);
    const error = await failure(verifyRequest({ ...request, headers: { ...request.headers, Authorization: changed } }, lookup, NOW));
    expect(error).toMatchObject({ code: 'APIGW.0301', status: 401, cause: 'signature mismatch' });
  });

  it('a date in the wrong format or an impossible date', async () => {
    await expectRefused(verifyRequest(signedCreate({ date: '2026-03-01T12:00:00Z' }), lookup, NOW));
    // would roll over to 12:00:00, i.e. NOW, if read leniently
    await expectRefused(verifyRequest(signedCreate({ date: '20260301T115960Z' }), lookup, NOW));
  });

  it('a missing X-Sdk-Date header', async () => {
    const { 'X-Sdk-Date': _, ...headers } = signedCreate().headers;
    await expectRefused(verifyRequest({ ...signedCreate(), headers }, lookup, NOW));
  });

  it('x-sdk-date missing from SignedHeaders', async () => {
    await expectRefused(verifyRequest(signedCreate({ signedHeaders: ['content-type', 'host'] }), lookup, NOW));
  });

  it('a signed header missing from the request', async () => {
    const { 'Content-Type': _, ...headers } = signedCreate().headers;
    await expectRefused(verifyRequest({ ...signedCreate(), headers }, lookup, NOW));
  });

  const withAuthorization = (authorization: string | undefined): SignableRequest => {
    const request = signedCreate();
    return { ...request, headers: { ...request.headers, Authorization: authorization } };
  };
  const valid = signedCreate().headers.Authorization as string;

  it('a duplicate Access= part', async () => {
    await expectRefused(verifyRequest(withAuthorization(valid.replace('Access=', `Access=${AK}, Access=`)), lookup, NOW));
  });

  it('a missing Signature part', async () => {
    await expectRefused(verifyRequest(withAuthorization(valid.replace(/, Signature=.*$/, '')), lookup, NOW));
  });

  it('an unknown algorithm', async () => {
    await expectRefused(verifyRequest(withAuthorization(valid.replace('SDK-HMAC-SHA256', 'SDK-HMAC-SHA1')), lookup, NOW));
  });

  it('garbage or no Authorization at all', async () => {
    for (const garbage of ['garbage', '', 'Bearer abc', 'SDK-HMAC-SHA256', 'SDK-HMAC-SHA256 Access=, SignedHeaders=, Signature=', undefined]) {
      await expectRefused(verifyRequest(withAuthorization(garbage), lookup, NOW));
    }
  });

  it('an X-Sdk-Content-Sha256 that does not match the body', async () => {
    const request = signedCreate();
    const headers = { ...request.headers, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' };
    await expectRefused(verifyRequest({ ...request, headers }, lookup, NOW));
  });

  it('says why in the error cause, without the signature', async () => {
    const error = await failure(verifyRequest(signedCreate({ secretKey: 'wrong' }), lookup, NOW));
    expect(error).toMatchObject({ cause: 'signature mismatch' });
    expect(String(error.cause)).not.toMatch(/[0-9a-f]{64}/);
  });

  it('passes a failing credential lookup through instead of calling it an authentication failure', async () => {
    const failing = () => Promise.reject(new Error('table unavailable'));
    await expect(verifyRequest(signedCreate(), failing, NOW)).rejects.toThrow('table unavailable');
  });
});

describe('parseAuthorization', () => {
  const signature = 'a'.repeat(64);

  it('parses the three parts', () => {
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=host;x-sdk-date, Signature=${signature}`)).toEqual({
      accessKey: 'AKEXAMPLE01',
      signedHeaders: ['host', 'x-sdk-date'],
      signature,
    });
  });

  it.each([
    ['uppercase header names', `SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=Host;X-Sdk-Date, Signature=${signature}`],
    ['a repeated header name', `SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=x-sdk-date;x-sdk-date, Signature=${signature}`],
    ['an unknown part', `SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=x-sdk-date, Signature=${signature}, Extra=1`],
    ['a short signature', 'SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=x-sdk-date, Signature=abc'],
    ['an uppercase signature', `SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=x-sdk-date, Signature=${'A'.repeat(64)}`],
    ['a trailing comma', `SDK-HMAC-SHA256 Access=AKEXAMPLE01, SignedHeaders=x-sdk-date, Signature=${signature},`],
    // no access key the seed can hold: refused before any lookup (DynamoDB refuses keys over 2 KiB with a 500)
    ['a megabyte access key', `SDK-HMAC-SHA256 Access=${'A'.repeat(1024 * 1024)}, SignedHeaders=x-sdk-date, Signature=${signature}`],
    ['a short access key', `SDK-HMAC-SHA256 Access=AK1, SignedHeaders=x-sdk-date, Signature=${signature}`],
    ['punctuation in the access key', `SDK-HMAC-SHA256 Access=AKEXAMPLE#1, SignedHeaders=x-sdk-date, Signature=${signature}`],
  ])('refuses %s', (_, value) => {
    expect(parseAuthorization(value)).toBeUndefined();
  });
});

describe('signRequest', () => {
  it('signs every header it is given plus x-sdk-date by default, and verifies', async () => {
    const request: SignableRequest = {
      method: 'POST',
      path: CREATE_PATH,
      query: {},
      headers: { 'Content-Type': 'application/json', Host: 'localhost:3000' },
      body: CREATE_BODY,
    };
    const added = signRequest(request, { accessKey: AK, secretKey: SK }, NOW);
    expect(added['X-Sdk-Date']).toBe(NOW_SDK_DATE);
    expect(parseAuthorization(added.Authorization)?.signedHeaders).toEqual(['content-type', 'host', 'x-sdk-date']);
    await expect(verifyRequest({ ...request, headers: { ...request.headers, ...added } }, lookup, NOW)).resolves.toMatchObject({
      accessKey: AK,
    });
  });

  it('signs only the headers asked for, always with x-sdk-date', () => {
    const added = signRequest(
      { method: 'GET', path: '/', query: {}, headers: { Host: 'h', 'X-Other': '1' }, body: '' },
      { accessKey: AK, secretKey: SK },
      NOW,
      ['host'],
    );
    expect(parseAuthorization(added.Authorization)?.signedHeaders).toEqual(['host', 'x-sdk-date']);
  });
});

describe('assertProjectAccess', () => {
  const credential = { projectIds: [PROJECT] };

  it('allows a bound project, with or without a matching X-Project-Id', () => {
    expect(() => assertProjectAccess(credential, PROJECT, undefined)).not.toThrow();
    expect(() => assertProjectAccess(credential, PROJECT, PROJECT)).not.toThrow();
  });

  it('refuses another project, and an X-Project-Id naming another project, with VPN.0007', () => {
    const other = 'f'.repeat(32);
    expect(() => assertProjectAccess(credential, other, undefined)).toThrow(expect.objectContaining({ code: 'VPN.0007', status: 403 }));
    expect(() => assertProjectAccess(credential, PROJECT, other)).toThrow(expect.objectContaining({ code: 'VPN.0007' }));
    expect(() => assertProjectAccess({ projectIds: [other] }, PROJECT, PROJECT)).toThrow(expect.objectContaining({ code: 'VPN.0007' }));
  });
});
