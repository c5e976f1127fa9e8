/**
 * 32-bit FNV-1a over UTF-16 code units with murmur3's finaliser, so close keys (ids that differ
 * in their last character) spread over the whole range. Not for anything adversarial: a key's
 * owner could make its own lookups slower, nobody else's wrong.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
