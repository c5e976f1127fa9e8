import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { routeTableDocument } from '../../server/src/api/reference/route-table-document.ts';

/**
 * The dashboard's API types, generated: `npm run api-types -w @unmogrowp/dashboard` builds the
 * server's OpenAPI document from its route table (no server started) and writes its TypeScript
 * types to `src/lib/api/openapi.d.ts`, which is committed so the dashboard builds without a
 * server. `src/lib/api/types.ts` names the shapes the screens use from it. A test
 * (test/api-types.test.ts) fails while the committed file differs from what this writes.
 */
export const API_TYPES_FILE = fileURLToPath(new URL('../src/lib/api/openapi.d.ts', import.meta.url));

const HEADER = `/**
 * Generated from the server's OpenAPI document (GET /api/openapi.json) by
 * \`npm run api-types -w @unmogrowp/dashboard\`: do not edit; change the route's schema and regenerate.
 */

`;

export async function generateApiTypes(): Promise<string> {
  const document = await routeTableDocument();
  // A schema without properties (free-form details, settings) is an object of unknowns, not `Record<string, never>`.
  const ast = await openapiTS(document as unknown as OpenAPI3, { emptyObjectsUnknown: true, alphabetize: false });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const next = await generateApiTypes();
  let current = '';
  try {
    current = readFileSync(API_TYPES_FILE, 'utf8');
  } catch {
    // first generation
  }
  if (current === next) console.log(`${API_TYPES_FILE}: up to date`);
  else {
    writeFileSync(API_TYPES_FILE, next);
    console.log(`${API_TYPES_FILE}: written`);
  }
}
