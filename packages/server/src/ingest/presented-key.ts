import type { FastifyRequest } from 'fastify';

/**
 * The key a caller presents, in the order docs/api.md §2 lists: Basic auth with the key as the user
 * (what Segment SDKs send), `X-Api-Key`, then the key inside the body (`writeKey` / `api_key`),
 * extracted by the wire format's own reader.
 */
export function presentedKey(req: FastifyRequest, bodyKey: string | null): string | null {
  const auth = req.headers.authorization;
  if (auth) {
    const [scheme, value = ''] = auth.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const user = decoded.split(':', 1)[0];
      if (user) return user;
    } else if (scheme?.toLowerCase() === 'bearer' && value) {
      return value;
    }
  }
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  return bodyKey;
}
