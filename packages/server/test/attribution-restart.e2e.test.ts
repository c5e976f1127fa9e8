import { createLink } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { eventually, post, startTestPlatform, type TestApp } from './support/test-platform.ts';

const ADID = '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a';
const IOS_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

describe('attribution state across restarts', () => {
  it('a click before a restart still wins the install after it; a device installed before a restart reinstalls after it', {
    timeout: 120_000,
  }, async () => {
    const first = await startTestPlatform();
    const app: TestApp = await first.newApp('restart');
    const link = await createLink(first.control, app.id, {
      name: 'L',
      media_source: 'snap',
      campaign: 'c1',
      click_window_hours: 48,
      destinations: { ios: 'https://apps.apple.com/app/id1' },
    });
    expect(
      (await fetch(`${first.ingestUrl}/c/${link!.id}?idfa=${ADID}`, { redirect: 'manual', headers: { 'user-agent': IOS_UA } })).status,
    ).toBe(302);
    await first.close();

    const second = await startTestPlatform({}, {}, first.dir);
    const install = (id: string, offsetMs: number) =>
      post(
        `${second.ingestUrl}/v1/events`,
        {
          event_id: id,
          type: 'install',
          timestamp: new Date(Date.now() + offsetMs).toISOString(),
          device: { id: 'dev-1', platform: 'ios', advertising_id: ADID },
        },
        { 'x-api-key': app.sdkKey },
      );
    expect((await install('install-1', 60_000)).body.accepted).toBe(1);
    const rows = async (p: typeof second) => {
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const res = await fetch(`${p.apiUrl}/api/analytics/${app.id}/installs?to=${to}`, {
        headers: { authorization: `Bearer ${app.serverKey}` },
      });
      return (await res.json()) as { install_id: string; status: string; media_source: string; match_type: string }[];
    };
    await eventually(async () =>
      expect(await rows(second)).toMatchObject([{ status: 'attributed', media_source: 'snap', match_type: 'device_id' }]),
    );
    await second.close();

    const third = await startTestPlatform({}, {}, first.dir);
    const again = await post(
      `${third.ingestUrl}/v1/events`,
      {
        event_id: 'install-2',
        type: 'install',
        timestamp: new Date(Date.now() + 120_000).toISOString(),
        device: { id: 'dev-1', platform: 'ios' },
      },
      { 'x-api-key': app.sdkKey },
    );
    expect(again.body.accepted).toBe(1);
    await eventually(async () => {
      const all = await rows(third);
      expect(all.map((r) => [r.install_id, r.status, r.media_source]).sort()).toEqual([
        ['install-1', 'attributed', 'snap'],
        ['install-2', 'reinstall', 'snap'],
      ]);
    });
    await third.close();
  });
});
