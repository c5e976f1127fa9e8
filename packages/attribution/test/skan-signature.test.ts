import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PostbackShapeError, parsePublicKey, readPostback, SKAN_VERSIONS, signedSkanMessage } from '../src/index.ts';
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

describe('the string Apple signs, per version (known answers)', () => {
  const base = {
    'ad-network-id': 'net.example',
    'campaign-id': 42,
    'source-identifier': '5239',
    'app-id': 525463029,
    'transaction-id': 'tx-1',
    redownload: true,
    'source-app-id': 1234567891,
    'source-domain': 'example.com',
    'fidelity-type': 1,
    'did-win': false,
    'postback-sequence-index': 2,
    'conversion-value': 20,
    'coarse-conversion-value': 'high',
  };
  const joined = (...parts: string[]) => parts.join('\u2063');

  it.each([
    ['2.0', joined('2.0', 'net.example', '42', '525463029', 'tx-1', 'true', '1234567891')],
    ['2.1', joined('2.1', 'net.example', '42', '525463029', 'tx-1', 'true', '1234567891')],
    ['2.2', joined('2.2', 'net.example', '42', '525463029', 'tx-1', 'true', '1234567891', '1')],
    ['3.0', joined('3.0', 'net.example', '42', '525463029', 'tx-1', 'true', '1234567891', '1', 'false')],
    ['4.0', joined('4.0', 'net.example', '5239', '525463029', 'tx-1', 'true', '1234567891', '1', 'false', '2')],
  ])('%s: the listed values in order, conversion values never', (version, expected) => {
    expect(signedSkanMessage({ ...base, version }, version)).toBe(expected);
  });

  it('joins source-domain when a 4.0 postback has no source-app-id, and neither when it has neither', () => {
    const { 'source-app-id': _, ...web } = base;
    expect(signedSkanMessage({ ...web, version: '4.0' }, '4.0')).toBe(
      joined('4.0', 'net.example', '5239', '525463029', 'tx-1', 'true', 'example.com', '1', 'false', '2'),
    );
    const { 'source-domain': __, ...hidden } = web;
    expect(signedSkanMessage({ ...hidden, version: '4.0' }, '4.0')).toBe(
      joined('4.0', 'net.example', '5239', '525463029', 'tx-1', 'true', '1', 'false', '2'),
    );
    // Before 4.0 a source-domain is not a signed field.
    const { 'source-app-id': ___, ...v3 } = base;
    expect(signedSkanMessage({ ...v3, version: '3.0' }, '3.0')).toBe(
      joined('3.0', 'net.example', '42', '525463029', 'tx-1', 'true', '1', 'false'),
    );
  });

  it('names the first signed field that is missing or not a plain value', () => {
    expect(signedSkanMessage({ ...base, version: '4.0', 'source-identifier': undefined }, '4.0')).toEqual({
      missing: 'missing_field: source-identifier',
    });
    expect(signedSkanMessage({ ...base, version: '3.0', 'app-id': { id: 1 } }, '3.0')).toEqual({ missing: 'missing_field: app-id' });
    expect(signedSkanMessage({ ...base, version: '2.2', 'fidelity-type': Number.NaN }, '2.2')).toEqual({
      missing: 'missing_field: fidelity-type',
    });
    expect(signedSkanMessage({ ...base, version: '4.0', 'postback-sequence-index': null }, '4.0')).toEqual({
      missing: 'missing_field: postback-sequence-index',
    });
  });
});

describe('signatures that cannot be checked are failed checks, not errors', () => {
  it('a signature that is not base64 DER, empty, or too long', () => {
    expect(readPostback({ ...signed('4.0'), 'attribution-signature': 'bm90IGEgc2lnbmF0dXJl' }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'bad_signature',
    });
    for (const sig of ['', 'A'.repeat(513), 7]) {
      expect(readPostback({ ...signed('4.0'), 'attribution-signature': sig }, { testKeys }).verification).toEqual({
        verified: false,
        reason: 'missing_signature',
      });
    }
  });

  it('a 512-character signature is still checked; a key whose check errors is a failed check', () => {
    expect(readPostback({ ...signed('4.0'), 'attribution-signature': 'A'.repeat(512) }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'bad_signature',
    });
    // Ed25519 refuses a SHA-256 digest: the check throws inside, and the postback is not verified.
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(readPostback(signed('4.0'), { testKeys: [ed] }).verification).toEqual({ verified: false, reason: 'bad_signature' });
  });

  it('a 2.0 postback is checked against the P-192 key: a P-256 signature does not pass as Apple', () => {
    expect(readPostback(signed('2.0')).verification).toEqual({ verified: false, reason: 'bad_signature' });
    expect(readPostback(signed('2.0'), { testKeys }).verification).toEqual({ verified: true, signer: 'test' });
  });

  it('a version string longer than any version is not a postback', () => {
    expect(() => readPostback({ ...signed('4.0'), version: '4.0.0.0.0.0' })).toThrow('version must be a string such as "4.0".');
    expect(readPostback(signed('3.0'), { testKeys }).postback.kind).toBe('skan');
    expect(readPostback({ ...signed('4.0'), version: '4.0.0.0.00' }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'unsupported_version: 4.0.0.0.00',
    });
  });
});

describe('AdAttributionKit JWS: what is refused before any key is tried', () => {
  const payload = {
    'ad-network-identifier': 'net.adattributionkit',
    'source-identifier': '3344',
    'advertised-item-identifier': 1,
    'postback-identifier': 'pb-9',
    'did-win': true,
    'postback-sequence-index': 0,
  };
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signedWith = (header: Record<string, unknown>) => {
    const h = part(header);
    const p = part(payload);
    return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };

  it('an algorithm other than ES256, even when the signature would check', () => {
    expect(readPostback({ 'jws-string': signedWith({ kid: 'k', alg: 'HS256' }) }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'unsupported_alg: HS256',
    });
    expect(readPostback({ 'jws-string': signedWith({ kid: 'k' }) }, { testKeys }).verification).toEqual({
      verified: false,
      reason: 'unsupported_alg: undefined',
    });
  });

  it('a header without a kid is checked against the test keys only, and named when none matches', () => {
    expect(readPostback({ 'jws-string': signedWith({ alg: 'ES256' }) }, { testKeys }).verification).toEqual({
      verified: true,
      signer: 'test',
    });
    expect(readPostback({ 'jws-string': signedWith({ alg: 'ES256' }) }).verification).toEqual({ verified: false, reason: 'unknown_kid: ' });
    const [h, p] = signedWith({ alg: 'ES256' }).split('.');
    expect(readPostback({ 'jws-string': `${h}.${p}.` }, { testKeys }).verification.verified).toBe(false);
    expect(readPostback({ 'jws-string': `${h}.${p}.%%%` }, { testKeys }).verification.verified).toBe(false);
  });

  const compact = 'jws-string must be a compact JWS (three base64url parts).';
  it.each([
    ['four parts', () => `${signedWith({ alg: 'ES256' })}.x`, compact],
    ['two parts', () => `${part({ alg: 'ES256' })}.${part(payload)}`, compact],
    ['an empty header', () => `.${part(payload)}.sig`, compact],
    ['an empty payload', () => `${part({ alg: 'ES256' })}..sig`, compact],
    ['longer than 8 KB', () => `${part({ alg: 'ES256', pad: 'x'.repeat(9000) })}.${part(payload)}.sig`, compact],
    [
      'a header that is not JSON',
      () => `${Buffer.from('{nope').toString('base64url')}.${part(payload)}.sig`,
      'The jws-string header is not base64url JSON.',
    ],
    [
      'a payload that is a JSON array',
      () => `${part({ alg: 'ES256' })}.${part([payload])}.sig`,
      'The jws-string payload must be a JSON object.',
    ],
    ['a header that is JSON null', () => `${part(null)}.${part(payload)}.sig`, 'The jws-string header must be a JSON object.'],
  ])('%s is not a postback', (_, token, message) => {
    let caught: unknown;
    try {
      readPostback({ 'jws-string': token() });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PostbackShapeError);
    expect((caught as PostbackShapeError).field).toBe('jws-string');
    expect((caught as Error).message).toBe(message);
  });

  it.each([null, 'postback', 42, [{ version: '4.0' }]])('%j is not a postback body', (body) => {
    expect(() => readPostback(body)).toThrow('The postback must be a JSON object.');
  });
});

describe('parsePublicKey (SKAN_TEST_PUBLIC_KEY)', () => {
  it('takes an EC key as PEM or as base64 DER, surrounding whitespace allowed', () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const text of [pem, `\n  ${pem}  \n`, der, ` ${der}\n`]) {
      expect(parsePublicKey(text).equals(publicKey)).toBe(true);
    }
  });

  it('refuses a key that is not elliptic-curve, and text that is no key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => parsePublicKey(rsa.export({ type: 'spki', format: 'pem' }).toString())).toThrow('not an elliptic-curve public key');
    expect(() => parsePublicKey('not a key')).toThrow();
  });
});
