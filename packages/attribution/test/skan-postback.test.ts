import { describe, expect, it } from 'vitest';
import { PostbackShapeError, readPostback, type SkanPostback } from '../src/index.ts';

/** A SKAdNetwork 4.0 body with every field this server reads (unsigned: the shape is read first). */
const v4 = {
  version: '4.0',
  'ad-network-id': 'example123.skadnetwork',
  'source-identifier': '5239',
  'app-id': 525463029,
  'transaction-id': '6aafb7a5-0170-41b5-bbe4-fe71dedf1e30',
  redownload: false,
  'source-app-id': 1234567891,
  'fidelity-type': 1,
  'did-win': true,
  'postback-sequence-index': 1,
  'coarse-conversion-value': 'medium',
  'country-code': 'DE',
  'conversion-type': 're-engagement',
};

const aakPart = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const aak = (payload: Record<string, unknown>, beside: Record<string, unknown> = {}) => ({
  'jws-string': `${aakPart({ alg: 'ES256', kid: 'k' })}.${aakPart(payload)}.c2ln`,
  ...beside,
});
const aakPayload = {
  'ad-network-identifier': 'net.adattributionkit',
  'source-identifier': '3344',
  'advertised-item-identifier': 525463029,
  'publisher-item-identifier': 987654321,
  'postback-identifier': 'pb-1',
  'did-win': false,
  'postback-sequence-index': 2,
  'conversion-type': 're-engagement',
};

const read = (body: unknown): SkanPostback => readPostback(body).postback;

describe('the fields read from a postback', () => {
  it('SKAdNetwork 4.0: every field, ids as decimal text, conversion type always install', () => {
    expect(read(v4)).toEqual({
      kind: 'skan',
      version: '4.0',
      ad_network_id: 'example123.skadnetwork',
      app_id: '525463029',
      transaction_id: '6aafb7a5-0170-41b5-bbe4-fe71dedf1e30',
      source_identifier: '5239',
      source_app_id: '1234567891',
      source_domain: null,
      redownload: false,
      fidelity_type: 1,
      did_win: true,
      postback_sequence_index: 1,
      conversion_value: null,
      coarse_conversion_value: 'medium',
      conversion_type: 'install',
      country_code: 'DE',
    });
  });

  it('SKAdNetwork 3.0: the campaign id is the source identifier, and there is only the first window', () => {
    const { 'source-identifier': _, 'coarse-conversion-value': __, ...rest } = v4;
    expect(read({ ...rest, version: '3.0', 'campaign-id': 42, 'conversion-value': 63, 'postback-sequence-index': 2 })).toMatchObject({
      kind: 'skan',
      version: '3.0',
      source_identifier: '42',
      postback_sequence_index: 0,
      conversion_value: 63,
      coarse_conversion_value: null,
    });
    // Before 4.0 a source-identifier is not read, whatever it holds.
    expect(read({ ...rest, version: '3.0', 'source-identifier': 'x', 'campaign-id': '07' }).source_identifier).toBe('07');
  });

  it('a 4.0 web ad: source-domain, no source app, no source identifier needed', () => {
    const { 'source-app-id': _, 'source-identifier': __, ...rest } = v4;
    expect(read({ ...rest, 'source-domain': 'example.com' })).toMatchObject({
      source_app_id: null,
      source_domain: 'example.com',
      source_identifier: null,
    });
  });

  it('AdAttributionKit: signed fields from the JWS payload, conversion values and country beside it', () => {
    expect(read(aak(aakPayload, { 'conversion-value': 24, 'country-code': 'US', 'coarse-conversion-value': 'high' }))).toEqual({
      kind: 'aak',
      version: 'aak',
      ad_network_id: 'net.adattributionkit',
      app_id: '525463029',
      transaction_id: 'pb-1',
      source_identifier: '3344',
      source_app_id: '987654321',
      source_domain: null,
      redownload: null,
      fidelity_type: null,
      did_win: false,
      postback_sequence_index: 2,
      conversion_value: 24,
      coarse_conversion_value: 'high',
      conversion_type: 're-engagement',
      country_code: 'US',
    });
    // Values beside the JWS are not read from the payload, and the payload's own are ignored there.
    const { 'conversion-type': _, ...noType } = aakPayload;
    expect(read(aak({ ...noType, 'conversion-value': 5, 'source-app-id': 1 }))).toMatchObject({
      conversion_type: 'install',
      conversion_value: null,
      source_app_id: '987654321',
    });
  });
});

describe('a field with the wrong shape is named, with what it must be', () => {
  it.each([
    [{ 'ad-network-id': undefined }, 'ad-network-id', 'ad-network-id is required.'],
    [{ 'ad-network-id': '' }, 'ad-network-id', 'ad-network-id must be a string of 1 to 200 characters.'],
    [{ 'ad-network-id': 'x'.repeat(201) }, 'ad-network-id', 'ad-network-id must be a string of 1 to 200 characters.'],
    [{ 'ad-network-id': 7 }, 'ad-network-id', 'ad-network-id must be a string of 1 to 200 characters.'],
    [{ 'app-id': null }, 'app-id', 'app-id is required.'],
    [{ 'app-id': -1 }, 'app-id', 'app-id must be a non-negative integer.'],
    [{ 'app-id': 1.5 }, 'app-id', 'app-id must be a non-negative integer.'],
    [{ 'app-id': '1'.repeat(21) }, 'app-id', 'app-id must be a non-negative integer.'],
    [{ 'transaction-id': 'x'.repeat(101) }, 'transaction-id', 'transaction-id must be a string of 1 to 100 characters.'],
    [{ 'source-identifier': '1' }, 'source-identifier', 'source-identifier must be a string of 2 to 4 digits.'],
    [{ 'source-identifier': 1234 }, 'source-identifier', 'source-identifier must be a string of 2 to 4 digits.'],
    [{ 'source-domain': 'x'.repeat(254) }, 'source-domain', 'source-domain must be a string of 1 to 253 characters.'],
    [{ redownload: 'false' }, 'redownload', 'redownload must be true or false.'],
    [{ 'did-win': 1 }, 'did-win', 'did-win must be true or false.'],
    [{ 'fidelity-type': 2 }, 'fidelity-type', 'fidelity-type must be an integer from 0 to 1.'],
    [{ 'postback-sequence-index': -1 }, 'postback-sequence-index', 'postback-sequence-index must be an integer from 0 to 2.'],
    [{ 'conversion-value': 1.5 }, 'conversion-value', 'conversion-value must be an integer from 0 to 63.'],
    [{ 'coarse-conversion-value': 'LOW' }, 'coarse-conversion-value', 'coarse-conversion-value must be low, medium or high.'],
    [{ 'country-code': 'x'.repeat(9) }, 'country-code', 'country-code must be a string of 1 to 8 characters.'],
  ])('%j → %s', (change, field, message) => {
    let caught: unknown;
    try {
      read({ ...v4, ...change });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PostbackShapeError);
    expect(caught).toMatchObject({ name: 'PostbackShapeError', field, message });
  });

  it.each([
    [{ 'source-identifier': undefined }, 'source-identifier', 'source-identifier is required.'],
    [{ 'advertised-item-identifier': undefined }, 'advertised-item-identifier', 'advertised-item-identifier is required.'],
    [{ 'postback-identifier': '' }, 'postback-identifier', 'postback-identifier must be a string of 1 to 100 characters.'],
    [{ 'conversion-type': 'x'.repeat(41) }, 'conversion-type', 'conversion-type must be a string of 1 to 40 characters.'],
  ])('AdAttributionKit %j → %s', (change, field, message) => {
    expect(() => read(aak({ ...aakPayload, ...change }))).toThrow(message);
    try {
      read(aak({ ...aakPayload, ...change }));
    } catch (err) {
      expect((err as PostbackShapeError).field).toBe(field);
    }
  });

  it('null reads as absent for an optional field', () => {
    const nulls = {
      'source-app-id': null,
      'source-identifier': null,
      'source-domain': null,
      'country-code': null,
      redownload: null,
      'did-win': null,
      'fidelity-type': null,
      'conversion-value': null,
      'coarse-conversion-value': null,
    };
    expect(read({ ...v4, ...nulls })).toMatchObject({
      source_app_id: null,
      source_identifier: null,
      source_domain: null,
      country_code: null,
      redownload: null,
      did_win: null,
      fidelity_type: null,
      conversion_value: null,
      coarse_conversion_value: null,
    });
  });

  it('takes a text field at its longest', () => {
    expect(read({ ...v4, 'ad-network-id': 'x'.repeat(200), 'transaction-id': 't'.repeat(100) })).toMatchObject({
      ad_network_id: 'x'.repeat(200),
      transaction_id: 't'.repeat(100),
    });
  });
});
