import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeepLinkApp } from './deep-links/deep-link-app.ts';
import { call } from './support/api-client.ts';
import { appSiteAssociationSchema, assetLinksSchema } from './support/association-schemas.ts';
import { eventually, type TestPlatform } from './support/test-platform.ts';

// Direct deep linking through HTTP on the real embedded platform: the app's deep_linking settings
// made through the API, and the two association documents iOS and Android fetch from the domain.
const FINGERPRINT = '14:6D:E9:83:C5:73:06:50:D8:EE:B9:95:2F:34:FC:64:16:A0:83:42:E6:1D:BE:A8:8A:04:96:B2:3F:CF:44:E5';

let p: TestPlatform;
let token: string;
let appId: string;

beforeAll(async () => {
  ({ p, token, appId } = await startDeepLinkApp('deeplinks-association@example.com'));
});
afterAll(async () => {
  await p?.close();
});

const api = (method: string, path: string, body?: unknown) => call(p.apiUrl, method, path, { token, body });

describe('app association documents (direct deep linking)', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validAasa = ajv.compile(appSiteAssociationSchema);
  const validAssetLinks = ajv.compile(assetLinksSchema);

  it('validates the deep_linking settings and serves both documents in their documented shapes', async () => {
    const bad = await api('PATCH', `/api/apps/${appId}`, {
      settings: {
        deep_linking: {
          ios: { team_id: 'short', bundle_id: 'no spaces' },
          android: { package_name: '1bad', sha256_cert_fingerprints: ['zz'] },
        },
      },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'deep_linking.ios.team_id',
        'deep_linking.ios.bundle_id',
        'deep_linking.android.package_name',
        'deep_linking.android.sha256_cert_fingerprints',
      ]),
    );

    const lowerNoColons = FINGERPRINT.replaceAll(':', '').toLowerCase();
    const set = await api('PATCH', `/api/apps/${appId}`, {
      settings: {
        deep_linking: {
          ios: { team_id: 'ABCDE12345', bundle_id: 'com.example.deep' },
          android: { package_name: 'com.example.deep', sha256_cert_fingerprints: [lowerNoColons] },
        },
      },
    });
    expect(set.status).toBe(200);
    expect(set.body.app.settings.deep_linking.android.sha256_cert_fingerprints).toEqual([FINGERPRINT]);
    // Sending one platform keeps the other.
    const iosOnly = await api('PATCH', `/api/apps/${appId}`, {
      settings: { deep_linking: { ios: { team_id: 'ABCDE12345', bundle_id: 'com.example.deeper' } } },
    });
    expect(iosOnly.body.app.settings.deep_linking.android.package_name).toBe('com.example.deep');

    await eventually(async () => {
      const aasa = await fetch(`${p.ingestUrl}/.well-known/apple-app-site-association`, { redirect: 'manual' });
      expect(aasa.status).toBe(200);
      expect(aasa.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = await aasa.json();
      expect(validAasa(doc), JSON.stringify(validAasa.errors)).toBe(true);
      expect(doc).toEqual({
        applinks: {
          details: [{ appIDs: ['ABCDE12345.com.example.deeper'], components: [{ '/': '/c/*', comment: 'tracking links open the app' }] }],
        },
      });
    }, 7_000);
    const assetlinks = await fetch(`${p.ingestUrl}/.well-known/assetlinks.json`, { redirect: 'manual' });
    expect(assetlinks.status).toBe(200);
    expect(assetlinks.headers.get('content-type')).toMatch(/^application\/json/);
    const statements = await assetlinks.json();
    expect(validAssetLinks(statements), JSON.stringify(validAssetLinks.errors)).toBe(true);
    expect(statements).toEqual([
      {
        relation: ['delegate_permission/common.handle_all_urls'],
        target: { namespace: 'android_app', package_name: 'com.example.deep', sha256_cert_fingerprints: [FINGERPRINT] },
      },
    ]);

    // A second app on the same click domain: each app claims only its own links.
    const second = await call(p.apiUrl, 'POST', '/api/apps', { token, body: { name: 'Second', platforms: ['ios'] } });
    const secondId = second.body.app.id;
    const secondLink = await call(p.apiUrl, 'POST', `/api/apps/${secondId}/links`, {
      token,
      body: { name: 'S', media_source: 'x', campaign: 'y' },
    });
    await call(p.apiUrl, 'PATCH', `/api/apps/${secondId}`, {
      token,
      body: { settings: { deep_linking: { ios: { team_id: 'ZYXWV98765', bundle_id: 'com.example.second' } } } },
    });
    await eventually(async () => {
      const doc = (await (await fetch(`${p.ingestUrl}/.well-known/apple-app-site-association`)).json()) as any;
      expect(validAasa(doc), JSON.stringify(validAasa.errors)).toBe(true);
      expect(doc.applinks.details).toHaveLength(2);
      expect(doc.applinks.details[1]).toEqual({
        appIDs: ['ZYXWV98765.com.example.second'],
        components: [{ '/': `/c/${secondLink.body.link.id}`, comment: 'a tracking link of this app' }],
      });
      expect(doc.applinks.details[0].components.map((c: Record<string, string>) => c['/'])).not.toContain(`/c/${secondLink.body.link.id}`);
    }, 7_000);
  });

  it('the schemas refuse wrong shapes (they can fail)', () => {
    expect(validAasa({ applinks: { details: [{ appID: 'x', paths: ['*'] }] } })).toBe(false);
    expect(
      validAssetLinks([{ relation: 'delegate_permission/common.handle_all_urls', target: { namespace: 'web', site: 'https://x' } }]),
    ).toBe(false);
  });
});
