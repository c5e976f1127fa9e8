/**
 * JSON Schemas of the two association documents, written from their publishers' documentation:
 *  - Apple, "applinks" / "applinks.Details" (Bundle Resources): `details` is an array of objects
 *    with `appID` or `appIDs` ("<Team ID>.<bundle id>") and `components`, each component matching
 *    with "/" (path), "?" (query, a string or an object of items), "#" (fragment), plus `exclude`,
 *    `comment`, `caseSensitive`, `percentEncoded`;
 *  - Google, Digital Asset Links "Statement List Syntax": a JSON array of statements
 *    `{relation: [string, …], target: {namespace: "android_app", package_name,
 *    sha256_cert_fingerprints: ["AA:BB:…" (32 upper-case hex pairs)]}}`.
 */
export const appSiteAssociationSchema = {
  type: 'object',
  required: ['applinks'],
  properties: {
    applinks: {
      type: 'object',
      required: ['details'],
      properties: {
        details: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['appIDs', 'components'],
            properties: {
              appIDs: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Z0-9]{10}\\.[A-Za-z0-9.-]+$' } },
              components: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  minProperties: 1,
                  properties: {
                    '/': { type: 'string', pattern: '^/' },
                    '?': { type: ['string', 'object'] },
                    '#': { type: 'string' },
                    exclude: { type: 'boolean' },
                    comment: { type: 'string' },
                    caseSensitive: { type: 'boolean' },
                    percentEncoded: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const assetLinksSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['relation', 'target'],
    properties: {
      relation: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z_]+/[a-z_.]+$' } },
      target: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace', 'package_name', 'sha256_cert_fingerprints'],
        properties: {
          namespace: { const: 'android_app' },
          package_name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+$' },
          sha256_cert_fingerprints: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: '^([0-9A-F]{2}:){31}[0-9A-F]{2}$' },
          },
        },
      },
    },
  },
} as const;
