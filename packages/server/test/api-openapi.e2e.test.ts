import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiRoute, openApiDocument, openApiPath } from '../src/api/reference/openapi-document.ts';
import { routeTableDocument } from '../src/api/reference/route-table-document.ts';
import { call } from './support/api-client.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read field by field
type Json = any;

/** `GET /api/openapi.json` through HTTP: a valid OpenAPI 3.1 document that lists every route the API listener answers. */
let p: TestPlatform;
let doc: Json;

beforeAll(async () => {
  p = await startTestPlatform();
  const res = await call(p.apiUrl, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => p?.close());

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (checked by a validator library)', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every registered route of the API listener, and nothing else', () => {
    const routes = p.api.routeTable().filter(isApiRoute);
    expect(routes.length).toBeGreaterThan(30);
    const listed = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(routes.map((r) => `${r.method} ${openApiPath(r.url)}`).sort());
  });

  it("carries each route's own schemas and credential", () => {
    const attribution = doc.paths['/api/analytics/{app_id}/attribution'].get;
    expect(attribution.parameters.map((x: Json) => `${x.in}:${x.name}`)).toEqual(
      expect.arrayContaining(['path:app_id', 'query:from', 'query:to', 'query:group_by']),
    );
    expect(attribution.security).toEqual([{ accessToken: [] }, { serverKey: [] }]);
    const login = doc.paths['/api/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('password');
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([]);
    // A route that declares its answer publishes it.
    const settings = doc.paths['/api/apps/{app_id}/settings'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(settings.properties)).toEqual(['settings', 'defaults', 'limits']);
  });

  it('describes the success answers of every route, shared shapes once under components.schemas', () => {
    const undeclared = p.api
      .routeTable()
      .filter(isApiRoute)
      .filter((r) => !Object.keys((r.schema?.response ?? {}) as object).some((status) => status.startsWith('2')))
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared, 'routes without a success answer in schema.response (api/answers/answer-schema.ts)').toEqual([]);
    const overview = doc.paths['/api/analytics/{app_id}/overview'].get.responses;
    expect(overview['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Overview' });
    expect(overview['4XX']).toEqual({ $ref: '#/components/responses/Error' });
    expect(doc.components.schemas.Overview.required).toEqual(expect.arrayContaining(['installs', 'clicks', 'from', 'to']));
    expect(doc.paths['/api/auth/logout'].post.responses['204']).toEqual({ description: 'No content' });
    expect(Object.keys(doc.paths['/api/analytics/{app_id}/installs'].get.responses['200'].content)).toEqual([
      'application/json',
      'text/csv',
    ]);
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });

  it("is the document the dashboard's types are generated from (built from the route table without a listener)", async () => {
    expect(await routeTableDocument()).toEqual(doc);
  });

  it('the validator refuses a malformed document (so the first check can fail)', async () => {
    const broken: Json = openApiDocument([{ method: 'GET', url: '/x/:id' }], '1');
    expect((await new Validator().validate(structuredClone(broken))).valid).toBe(true);
    broken.paths['/x/{id}'].get.parameters[0].in = 'cookie-jar';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
