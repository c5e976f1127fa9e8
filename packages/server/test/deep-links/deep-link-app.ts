import { expect } from 'vitest';
import { accessTokenFor, call, seedUser } from '../support/api-client.ts';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.ts';

export interface DeepLinkApp {
  p: TestPlatform;
  token: string;
  appId: string;
  sdkKey: string;
}

/** The embedded platform behind a proxy, a manager and an app on both platforms with a Play listing: what every deep-link test starts from. */
export async function startDeepLinkApp(email: string): Promise<DeepLinkApp> {
  const p = await startTestPlatform({ TRUST_PROXY: '1' });
  const admin = await seedUser(p.control, email);
  const token = await accessTokenFor(p.control, p.signing, admin.id);
  const created = await call(p.apiUrl, 'POST', '/api/apps', {
    token,
    body: { name: 'Deep', platforms: ['ios', 'android'], store_url_android: 'https://play.google.com/store/apps/details?id=com.example' },
  });
  expect(created.status).toBe(201);
  return { p, token, appId: created.body.app.id, sdkKey: created.body.sdk_key };
}
