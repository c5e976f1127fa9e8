import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../build-tools/api-types.ts';

describe("the dashboard's API types", () => {
  it('are what the generator makes from the server routes now (else: npm run api-types -w @unmogrowp/dashboard)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const generated = await generateApiTypes();
    expect(
      committed === generated,
      'src/lib/api/openapi.d.ts is stale: run `npm run api-types -w @unmogrowp/dashboard` and commit it',
    ).toBe(true);
  }, 60_000);
});
