import { describe, expect, it } from 'vitest';
import { canonicalJson, toPlainJson } from '../src/control/canonical-json.ts';
import { cleanText, clipUntrusted } from '../src/control/untrusted-text.ts';

describe('canonical JSON', () => {
  it('writes one text whatever the key order, at every depth', () => {
    const a = { b: 1, a: { d: [3, { y: 1, x: 2 }], c: 'é' }, z: null };
    const b = { z: null, a: { c: 'é', d: [3, { x: 2, y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"é","d":[3,{"x":2,"y":1}]},"b":1,"z":null}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order and distinguishes values JSON distinguishes', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ a: undefined })).toBe('{}');
    expect(canonicalJson('quote " and \\ ')).toBe(JSON.stringify('quote " and \\ '));
  });

  it('refuses what is not plain JSON', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1n, new Date(0), () => 1, new Map()]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
    }
  });

  it('turns details into plain, cleaned JSON', () => {
    const plain = toPlainJson(
      { when: new Date('2024-01-01T00:00:00.000Z'), gone: undefined, nan: Number.NaN, 'k\u0000': ['a\u0000b'] },
      cleanText,
    );
    expect(plain).toEqual({ when: '2024-01-01T00:00:00.000Z', nan: null, k: ['ab'] });
    expect(canonicalJson(plain)).toBe('{"k":["ab"],"nan":null,"when":"2024-01-01T00:00:00.000Z"}');
  });
});

describe('untrusted text', () => {
  it('drops NUL, replaces lone surrogates and keeps pairs', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(cleanText('rocket 🚀')).toBe('rocket 🚀');
  });

  it('bounds length without splitting a character into a lone half', () => {
    expect(clipUntrusted('abc🚀', 4)).toBe('abc\ufffd');
    expect(clipUntrusted(`${'\u0000'.repeat(5)}abc`, 3)).toBe('abc');
    expect(clipUntrusted(null)).toBeNull();
    expect(clipUntrusted(undefined)).toBeNull();
  });
});
