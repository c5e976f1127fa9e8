import { randomUUID } from 'node:crypto';
import { PASSWORD } from './api-client.ts';

/** The secrets a traffic run used, so a test can prove none of them reached a log line. */
export interface TrafficSecrets {
  sdkKey: string;
  serverKey: string;
  accessToken: string;
  refreshToken: string;
  password: string;
  wrongPassword: string;
  clientIp: string;
}

export interface TrafficRun {
  appId: string;
  linkId: string;
  secrets: TrafficSecrets;
  requestIds: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, read field by field
async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Everything an operator watches, over HTTP only (works against an in-process platform and a
 * child process alike): an admin and an app created through the API, clicks (one refused for an
 * unknown link), an attributed install, events, a failed sign-in, a refused token, a refused
 * authorization, analytics queries. Clicks carry an X-Forwarded-For-free connection address.
 */
export async function sendOpsTraffic(
  urls: { ingestUrl: string; apiUrl: string },
  options: { partnerUrl?: string; clickFlood?: boolean } = {},
): Promise<TrafficRun> {
  const requestIds: string[] = [];
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const requestId = `ops-${randomUUID()}`;
    requestIds.push(requestId);
    const res = await fetch(`${urls.apiUrl}${path}`, {
      method,
      headers: {
        'x-request-id': requestId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };
  const tag = randomUUID().slice(0, 8);
  const email = `ops-admin-${tag}@example.com`;
  await api('POST', '/api/auth/register', { email, password: PASSWORD, name: 'Ops admin' });
  const login = await api('POST', '/api/auth/login', { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const { access_token: accessToken, refresh_token: refreshToken } = login.body;
  const created = await api('POST', '/api/apps', { name: `Ops ${tag}`, platforms: ['ios', 'android'] }, accessToken);
  const appId: string = created.body.app.id;
  const link = await api(
    'POST',
    `/api/apps/${appId}/links`,
    { name: 'Ops link', media_source: 'network_ops', campaign: 'c1', destinations: { ios: 'https://apps.apple.com/app/id1' } },
    accessToken,
  );
  const linkId: string = link.body.link.id;
  if (options.partnerUrl) {
    const partner = await api(
      'PUT',
      `/api/apps/${appId}/partners/network_ops`,
      { url: `${options.partnerUrl}/postback?click={click_id}&event={event_name}`, method: 'GET', events: ['purchase'], enabled: true },
      accessToken,
    );
    if (partner.status !== 200 && partner.status !== 201) throw new Error(`partner refused: ${JSON.stringify(partner.body)}`);
  }

  // The failures operators count: wrong password, a forged token, a non-admin on an admin route.
  const wrongPassword = `wrong-${tag}-password`;
  await api('POST', '/api/auth/login', { email, password: wrongPassword });
  await api('GET', '/api/auth/me', undefined, 'not.a.valid-token');
  const userEmail = `ops-user-${tag}@example.com`;
  await api('POST', '/api/auth/register', { email: userEmail, password: PASSWORD, name: 'Ops user' }, accessToken);
  const user = await api('POST', '/api/auth/login', { email: userEmail, password: PASSWORD });
  await api('GET', '/api/admin/users', undefined, user.body.access_token);

  // Clicks from an ad (one on a link that does not exist), then the installs they earn.
  const sdk = { 'content-type': 'application/json', 'x-api-key': created.body.sdk_key };
  const devices = Array.from({ length: 5 }, (_, i) => ({ id: `dev-${tag}-${i}`, adid: randomUUID() }));
  for (const d of devices) {
    await fetch(`${urls.ingestUrl}/c/${linkId}?advertising_id=${d.adid}`, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)', 'x-request-id': `ops-click-${d.id}` },
    });
  }
  await fetch(`${urls.ingestUrl}/c/lnk_doesnotexist00000`, { redirect: 'manual' });
  // More than 50 clicks from one address on one link within the hour: the click_flood rule.
  if (options.clickFlood) for (let i = 0; i < 53; i++) await fetch(`${urls.ingestUrl}/c/${linkId}`, { redirect: 'manual' });
  await fetch(`${urls.ingestUrl}/i/${linkId}`);
  // The install comes more than CTIT's 10 s after the click on the device's clock: attributed.
  const later = new Date(Date.now() + 60_000).toISOString();
  const events = devices.flatMap((d, i) => [
    {
      event_id: `ins-${tag}-${i}`,
      type: 'install',
      timestamp: later,
      device: { id: d.id, platform: 'ios', os_version: '17.4', advertising_id: d.adid },
    },
    {
      event_id: `pur-${tag}-${i}`,
      type: 'event',
      name: 'purchase',
      timestamp: later,
      device: { id: d.id, platform: 'ios', os_version: '17.4', advertising_id: d.adid },
      revenue: 1.5,
      currency: 'EUR',
    },
  ]);
  const ingestId = `ops-ingest-${tag}`;
  requestIds.push(ingestId);
  const batch = await fetch(`${urls.ingestUrl}/v1/events/batch`, {
    method: 'POST',
    headers: { ...sdk, 'x-request-id': ingestId },
    body: JSON.stringify({ events: [...events, { event_id: 'bad', type: 'bogus' }] }),
  });
  if (batch.status !== 202) throw new Error(`ingest answered ${batch.status}: ${await batch.text()}`);
  await fetch(`${urls.ingestUrl}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

  // Analytics as a dashboard and as a BI tool read them.
  for (const route of ['overview', 'attribution?group_by=media_source', 'fraud']) {
    await api('GET', `/api/analytics/${appId}/${route}`, undefined, accessToken);
  }
  await api('GET', `/api/analytics/${appId}/overview`, undefined, created.body.server_key);
  return {
    appId,
    linkId,
    requestIds,
    secrets: {
      sdkKey: created.body.sdk_key,
      serverKey: created.body.server_key,
      accessToken,
      refreshToken,
      password: PASSWORD,
      wrongPassword,
      clientIp: '127.0.0.1',
    },
  };
}
