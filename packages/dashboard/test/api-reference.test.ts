import { describe, expect, it } from 'vitest';
import { referenceOperations } from '../src/lib/api-reference.ts';

describe('API reference rows', () => {
  it('reads operations, parameters, body fields and access from an OpenAPI document', () => {
    const doc = {
      paths: {
        '/api/auth/login': {
          post: {
            tags: ['auth'],
            security: [],
            requestBody: { content: { 'application/json': { schema: { required: ['email'], properties: { email: {}, password: {} } } } } },
            responses: {
              '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Session' } } } },
              '4XX': { $ref: '#/components/responses/Error' },
            },
          },
        },
        '/api/analytics/{app_id}/timeseries': {
          get: {
            tags: ['analytics'],
            'x-policy': 'canReadAnalytics',
            parameters: [
              { name: 'app_id', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'interval', in: 'query', schema: { enum: ['day', 'hour'] } },
            ],
            responses: { '200': { content: { 'application/json': { schema: { properties: { metric: {}, points: {} } } } } } },
          },
        },
      },
      components: { schemas: { Session: { properties: { access_token: {}, user: {} } } } },
    };
    expect(referenceOperations(doc)).toEqual([
      {
        method: 'GET',
        path: '/api/analytics/{app_id}/timeseries',
        tag: 'analytics',
        access: 'canReadAnalytics',
        parameters: [
          { name: 'app_id', in: 'path', required: true, type: 'string' },
          { name: 'interval', in: 'query', required: false, type: 'day | hour' },
        ],
        body: [],
        answer: { status: '200', fields: ['metric', 'points'] },
      },
      {
        method: 'POST',
        path: '/api/auth/login',
        tag: 'auth',
        access: 'public',
        parameters: [],
        body: ['email*', 'password'],
        answer: { status: '200', fields: ['access_token', 'user'] },
      },
    ]);
    expect(referenceOperations(null)).toEqual([]);
  });
});
