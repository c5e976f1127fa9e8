import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PostbackShapeError, readPostback, SKAN_VERSIONS, signedSkanMessage } from '../src/index.ts';
import * as apple from './skan-apple-examples.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const testKeys = [publicKey];

/** A postback of `version` signed with `key` the way Apple signs (fields per version, U+2063). */
function signed(version: string, extra: Record<string, unknown> = {}, key: KeyObject = privateKey): Record<string, unknown> {
  const v4 = version === '4.0';
  const body: Record<string, unknown> = {
    version,
    'ad-network-id': 'net.skadnetwork',
    ...(v4 ? { 'source-identifier': '1234' } : { 'campaign-id': 42 }),
    'app-id': 525463029,
    'transaction-id': `tx-${version}-${Math.random()}`,
    redownload: false,
    'source-app-id': 1234567891,
    'fidelity-type': 1,
    'did-win': true,
    ...(v4 ? { 'postback-sequence-index': 0 } : {}),
    'conversion-value': 7,
    ...extra,
  };
  const message = signedSkanMessage(body, version);
  if (typeof message !== 'string') throw new Error(message.missing);
  body['attribution-signature'] = sign('sha256', Buffer.from(message, 'utf8'), key).toString('base64');
  return body;
}

function jws(payload: Record<string, unknown>, key: KeyObject = privateKey, kid = 'test-key'): string {
  const h = Buffer.from(JSON.stringify({ kid, alg: 'ES256' })).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const s = sign('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${h}.${p}.${s}`;
}

describe('SKAdNetwork signatures with a generated P-256 key', () => {
  for (const version of SKAN_VERSIONS) {
    it(`verifies version ${version} and refuses it once a signed field changes`, () => {
      const body = signed(version);
      expect(readPostback(body, { testKeys }).verification).toEqual({ verified: true, signer: 'test' });
      expect(readPostback(body).verification).toEqual({ verified: false, reason: 'bad_signature' });
      expect(readPostback({ ...body, 'app-id': 525463030 }, { testKeys }).verification).toEqual({
        verified: false,
        reason: 'bad_signature',
      });
      expect(readPostback(body, { testKeys: [other.publicKey] }).verification.verified).toBe(false);
      // conversion values are not signed: Apple adds them outside the signature
      expect(readPostback({ ...body, 'conversion-value': 8 }, { testKeys }).verification.verified).toBe(true);
    });
  }

  it('signs source-domain instead of source-app-id for 4.0 web ads, and the window index', () => {
    const web = signed('4.0', { 'source-app-id': undefined, 'source-domain': 'example.com', 'postback-sequence-index': 2 });
    const read = readPostback(web, { testKeys });
    expect(read.verification.verified).toBe(true);
    expect(read.postback).toMatchObject({ source_domain: 'example.com', postback_sequence_index: 2, source_identifier: '1234' });
    expect(readPostback({ ...web, 'postback-sequence-index': 1 }, { testKeys }).verification.verified).toBe(false);
  });

  it('verifies a non-winning 3.0 postback without source-app-id', () => {
    const body = signed('3.0', { 'source-app-id': undefined, 'did-win': false, 'conversion-value': undefined });
    expect(readPostback(body, { testKeys }).verification.verified).toBe(true);
  });

  it('reads a missing conversion value as null (Apple withholds it below its privacy threshold)', () => {
    const read = readPostback(signed('4.0', { 'conversion-value': undefined }), { testKeys });
    expect(read.postback.conversion_value).toBeNull();
    expect(read.postback.coarse_conversion_value).toBeNull();
  });

  it('keeps an unsupported version or a missing signature apart with the reason', () => {
    expect(readPostback({ ...signed('4.0'), version: '1.0' }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'unsupported_version: 1.0',
    });
    const { 'attribution-signature': _, ...unsigned } = signed('4.0');
    expect(readPostback(unsigned, { testKeys }).verification).toEqual({ verified: false, reason: 'missing_signature' });
    const noDidWin = signed('3.0');
    delete noDidWin['did-win'];
    expect(readPostback(noDidWin, { testKeys }).verification).toEqual({ verified: false, reason: 'missing_field: did-win' });
  });

  it('refuses bodies that are not postbacks with the field named', () => {
    for (const [body, field] of [
      [[], 'body'],
      [{ version: 4 }, 'version'],
      [{ ...signed('4.0'), 'app-id': 'abc' }, 'app-id'],
      [{ ...signed('4.0'), 'source-identifier': '12345' }, 'source-identifier'],
      [{ ...signed('4.0'), 'conversion-value': 64 }, 'conversion-value'],
      [{ ...signed('4.0'), 'coarse-conversion-value': 'huge' }, 'coarse-conversion-value'],
      [{ ...signed('4.0'), 'postback-sequence-index': 3 }, 'postback-sequence-index'],
      [{ 'jws-string': 'a.b' }, 'jws-string'],
    ] as const) {
      expect(() => readPostback(body)).toThrow(PostbackShapeError);
      try {
        readPostback(body);
      } catch (err) {
        expect((err as PostbackShapeError).field).toBe(field);
      }
    }
  });
});

describe('AdAttributionKit JWS with a generated P-256 key', () => {
  const payload = {
    'ad-network-identifier': 'net.adattributionkit',
    'source-identifier': '3344',
    'advertised-item-identifier': 525463029,
    'conversion-type': 'install',
    'postback-identifier': 'pb-1',
    'did-win': true,
    'postback-sequence-index': 1,
    'impression-type': 'app-impression',
  };

  it('verifies the JWS, reads the fields from its payload and the values beside it', () => {
    const read = readPostback({ 'jws-string': jws(payload), 'coarse-conversion-value': 'low' }, { testKeys });
    expect(read.verification).toEqual({ verified: true, signer: 'test' });
    expect(read.postback).toMatchObject({
      kind: 'aak',
      transaction_id: 'pb-1',
      app_id: '525463029',
      postback_sequence_index: 1,
      coarse_conversion_value: 'low',
    });
  });

  it('refuses a changed payload and another key', () => {
    const token = jws(payload);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, 'did-win': false })).toString('base64url')}.${s}`;
    expect(readPostback({ 'jws-string': forged }, { testKeys }).verification.verified).toBe(false);
    expect(readPostback({ 'jws-string': jws(payload, other.privateKey) }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'unknown_kid: test-key',
    });
  });
});

describe("Apple's documented postbacks, verified byte for byte with Apple's published keys", () => {
  for (const [name, body] of Object.entries({
    'SKAN 4.0 fine (web ad, source-domain)': apple.APPLE_V4_FINE,
    'SKAN 4.0 coarse, 2-digit source identifier': apple.APPLE_V4_COARSE,
    'SKAN 3.0 winning': apple.APPLE_V3_WIN,
    'SKAN 3.0 non-winning': apple.APPLE_V3_NONWIN,
    'SKAN 2.2': apple.APPLE_V22,
  })) {
    it(name, () => {
      expect(readPostback(body).verification).toEqual({ verified: true, signer: 'apple' });
      expect(readPostback({ ...body, 'transaction-id': `${body['transaction-id']}0` }).verification.verified).toBe(false);
    });
  }

  it('AdAttributionKit developer-settings postback: only with development keys switched on', () => {
    expect(readPostback(apple.APPLE_AAK_DEVELOPMENT).verification).toEqual({ verified: false, reason: 'development_signature' });
    expect(readPostback(apple.APPLE_AAK_DEVELOPMENT, { acceptDevelopmentKeys: true }).verification).toEqual({
      verified: true,
      signer: 'apple-development',
    });
  });

  it("AdAttributionKit's production example does not verify with the published key (Apple does not call it valid): kept apart", () => {
    expect(readPostback(apple.APPLE_AAK_PRODUCTION).verification).toEqual({ verified: false, reason: 'bad_signature' });
  });
});
