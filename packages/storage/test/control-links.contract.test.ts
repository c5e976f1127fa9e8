import { defaultSettings } from '@unmogrowp/attribution';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApp,
  createLink,
  deleteApp,
  deleteLink,
  deletePartner,
  findClickLink,
  getLink,
  getPartner,
  LinkInputError,
  listLinks,
  listPartners,
  type NewLinkInput,
  PartnerInputError,
  putPartner,
  setLinkEnabled,
  updateApp,
  updateLink,
} from '../src/index.ts';
import { type ControlTarget, forEachControlAdapter, type OpenControlTarget } from './support/control-targets.ts';

const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const BASE: NewLinkInput = { name: 'Spring', media_source: 'facebook_ads', campaign: 'spring_sale' };

async function newApp(t: ControlTarget, name = 'Links app'): Promise<string> {
  return (await createApp(t.db, { name, platforms: ['ios', 'android'] })).app.id;
}

function linksContract(name: string, open: OpenControlTarget): void {
  describe(`links and partners contract: ${name}`, () => {
    let t: ControlTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('creates a link and reads it back in the API shape', async () => {
      const appId = await newApp(t);
      const link = await createLink(t.db, appId, {
        name: '  Spring  ',
        media_source: ' Facebook_Ads ',
        campaign: 'spring',
        ad_set: '',
        site_id: 'pub-1',
        destinations: { ios: 'https://apps.apple.com/app/id1', web: null },
      });
      expect(link).toEqual({
        id: expect.stringMatching(/^lnk_[0-9A-Za-z]{12}$/),
        app_id: appId,
        name: 'Spring',
        media_source: 'Facebook_Ads',
        campaign: 'spring',
        ad_set: null,
        ad: null,
        site_id: 'pub-1',
        destinations: { ios: 'https://apps.apple.com/app/id1' },
        click_window_hours: null,
        view_window_hours: null,
        is_retargeting: false,
        enabled: true,
        deep_link: null,
        created_at: expect.stringMatching(ISO_MS_UTC),
        updated_at: expect.stringMatching(ISO_MS_UTC),
      });
      expect(await getLink(t.db, appId, link!.id)).toEqual(link);
    });

    it('stores a deep link, replaces it whole on patch, clears it with null; refuses bad values naming the field', async () => {
      const appId = await newApp(t);
      const base = { name: 'DL', media_source: 'm', campaign: 'c' };
      const link = await createLink(t.db, appId, { ...base, deep_link: { value: ' spring ', sub5: 'x', path: 'myapp://offers/1' } });
      expect(link?.deep_link).toEqual({
        value: 'spring',
        sub1: null,
        sub2: null,
        sub3: null,
        sub4: null,
        sub5: 'x',
        path: 'myapp://offers/1',
      });
      expect((await createLink(t.db, appId, { ...base, deep_link: {} }))?.deep_link).toBeNull();
      const patched = await updateLink(t.db, appId, link!.id, { deep_link: { path: '/offers/2' } });
      expect(patched?.deep_link).toEqual({ value: null, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, path: '/offers/2' });
      expect((await getLink(t.db, appId, link!.id))?.deep_link?.path).toBe('/offers/2');
      expect((await updateLink(t.db, appId, link!.id, { name: 'renamed' }))?.deep_link?.path).toBe('/offers/2');
      expect((await updateLink(t.db, appId, link!.id, { deep_link: null }))?.deep_link).toBeNull();
      const refused: [unknown, string][] = [
        [{ path: 'http://x.example' }, 'deep_link.path'],
        [{ path: 'HTTPS://x.example' }, 'deep_link.path'],
        [{ path: 'data://text' }, 'deep_link.path'],
        [{ path: '/\\evil' }, 'deep_link.path'],
        [{ path: `/${'a'.repeat(2048)}` }, 'deep_link.path'],
        [{ path: 'no-scheme' }, 'deep_link.path'],
        [{ sub2: 'a\u0000b' }, 'deep_link.sub2'],
        [{ value: 42 }, 'deep_link.value'],
        [{ extra: 'x' }, 'deep_link.extra'],
        [['x'], 'deep_link'],
      ];
      for (const [deep_link, field] of refused) {
        await expect(createLink(t.db, appId, { ...base, deep_link } as NewLinkInput), JSON.stringify(deep_link)).rejects.toMatchObject({
          field,
        });
      }
    });

    it('refuses invalid links naming the field, and accepts the window limits exactly', async () => {
      const appId = await newApp(t);
      const refused: [Partial<NewLinkInput>, string][] = [
        [{ media_source: ' ' }, 'media_source'],
        [{ media_source: 'x'.repeat(101) }, 'media_source'],
        [{ media_source: 'Organic' }, 'media_source'],
        [{ media_source: 'tab\there' }, 'media_source'],
        [{ campaign: '' }, 'campaign'],
        [{ name: undefined as unknown as string }, 'name'],
        [{ destinations: { android: 'market://details?id=com.x' } }, 'destinations.android'],
        [{ destinations: { ios: 'itms-apps://apps.apple.com/app/id1' } }, 'destinations.ios'],
        [{ destinations: { web: 'javascript:alert(1)' } }, 'destinations.web'],
        [{ destinations: { web: 'https://user:pw@example.com/' } }, 'destinations.web'],
        [{ destinations: { windows: 'https://x.com' } as never }, 'destinations.windows'],
        [{ click_window_hours: 0 }, 'click_window_hours'],
        [{ click_window_hours: 721 }, 'click_window_hours'],
        [{ click_window_hours: 1.5 }, 'click_window_hours'],
        [{ view_window_hours: 169 }, 'view_window_hours'],
        [{ is_retargeting: 'yes' as never }, 'is_retargeting'],
      ];
      for (const [change, field] of refused) {
        await expect(createLink(t.db, appId, { ...BASE, ...change }), field).rejects.toSatisfy(
          (err) => err instanceof LinkInputError && err.field === field && err.code === 'invalid_link',
        );
      }
      const edges = await createLink(t.db, appId, { ...BASE, click_window_hours: 720, view_window_hours: 1 });
      expect(edges).toMatchObject({ click_window_hours: 720, view_window_hours: 1 });
      const low = await createLink(t.db, appId, { ...BASE, click_window_hours: 1, view_window_hours: 168 });
      expect(low).toMatchObject({ click_window_hours: 1, view_window_hours: 168 });
      expect((await listLinks(t.db, appId)).length).toBe(2);
    });

    it('creates nothing for an unknown or deleted app', async () => {
      expect(await createLink(t.db, 'app_unknown', BASE)).toBeNull();
      const appId = await newApp(t);
      await deleteApp(t.db, appId);
      expect(await createLink(t.db, appId, BASE)).toBeNull();
    });

    it("keeps links to their app: another app's id reads, changes and deletes nothing", async () => {
      const mine = await newApp(t, 'Mine');
      const other = await newApp(t, 'Other');
      const link = (await createLink(t.db, mine, BASE))!;
      expect(await getLink(t.db, other, link.id)).toBeNull();
      expect(await updateLink(t.db, other, link.id, { name: 'stolen' })).toBeNull();
      expect(await setLinkEnabled(t.db, other, link.id, false)).toBeNull();
      expect(await deleteLink(t.db, other, link.id)).toBe(false);
      expect(await getLink(t.db, mine, link.id)).toEqual(link);
      expect(await listLinks(t.db, other)).toEqual([]);
    });

    it('lists links created in the same instant in the order they were created', async () => {
      const appId = await newApp(t);
      const names = Array.from({ length: 12 }, (_, i) => `L${i}`);
      for (const name of names) await createLink(t.db, appId, { ...BASE, name });
      // One timestamp for all: only the creation order can tell them apart (PGlite's clock counts milliseconds).
      await t.db.query(`update links set created_at = '2026-01-01T00:00:00Z' where app_id = $1`, [appId]);
      expect((await listLinks(t.db, appId)).map((l) => l.name)).toEqual(names);
    });

    it('lists live links oldest first and soft-deletes', async () => {
      const appId = await newApp(t);
      const a = (await createLink(t.db, appId, { ...BASE, name: 'A' }))!;
      const b = (await createLink(t.db, appId, { ...BASE, name: 'B' }))!;
      const c = (await createLink(t.db, appId, { ...BASE, name: 'C', enabled: false }))!;
      expect((await listLinks(t.db, appId)).map((l) => l.name)).toEqual(['A', 'B', 'C']);
      expect(await deleteLink(t.db, appId, b.id)).toBe(true);
      expect(await deleteLink(t.db, appId, b.id)).toBe(false);
      expect(await listLinks(t.db, appId)).toEqual([a, c]);
      expect(await getLink(t.db, appId, b.id)).toBeNull();
      expect(await updateLink(t.db, appId, b.id, { name: 'back' })).toBeNull();
      const [row] = await t.db.query<{ kept: boolean }>('select deleted_at is not null as kept from links where id = $1', [b.id]);
      expect(row?.kept).toBe(true);
    });

    it('updates only what a patch names, merges destinations per platform and clears with null', async () => {
      const appId = await newApp(t);
      const link = (await createLink(t.db, appId, {
        ...BASE,
        ad: 'banner',
        click_window_hours: 48,
        destinations: { ios: 'https://apps.apple.com/app/id1', android: 'https://play.google.com/store/apps/details?id=x' },
      }))!;
      await new Promise((r) => setTimeout(r, 5));
      const patched = await updateLink(t.db, appId, link.id, {
        campaign: 'autumn',
        ad: null,
        click_window_hours: null,
        is_retargeting: true,
        destinations: { ios: null, web: 'https://example.com/landing' },
      });
      expect(patched).toEqual({
        ...link,
        campaign: 'autumn',
        ad: null,
        click_window_hours: null,
        is_retargeting: true,
        destinations: { android: 'https://play.google.com/store/apps/details?id=x', web: 'https://example.com/landing' },
        updated_at: expect.stringMatching(ISO_MS_UTC),
      });
      expect(Date.parse(patched!.updated_at)).toBeGreaterThan(Date.parse(link.updated_at));
      expect(patched!.created_at).toBe(link.created_at);
      expect(await updateLink(t.db, appId, link.id, {})).toEqual(patched);
      await expect(updateLink(t.db, appId, link.id, { view_window_hours: 500 })).rejects.toMatchObject({ field: 'view_window_hours' });
      await expect(updateLink(t.db, appId, link.id, { media_source: 'organic' })).rejects.toBeInstanceOf(LinkInputError);
      expect(await getLink(t.db, appId, link.id)).toEqual(patched);
    });

    it('finds a link for the click route with its app, disabled links included, deleted ones not', async () => {
      const { app } = await createApp(t.db, {
        name: 'Click',
        platforms: ['ios', 'android', 'web'],
        store_url_android: 'https://play.google.com/store/apps/details?id=com.click',
        web_url: 'https://click.example/',
      });
      await updateApp(t.db, app.id, {
        settings: { click_window_hours: 48, not_a_setting: 1, fraud: { ctit_min_seconds: 5, bogus: true } },
      });
      const link = (await createLink(t.db, app.id, { ...BASE, is_retargeting: true }))!;
      const found = await findClickLink(t.db, link.id);
      const expected = defaultSettings();
      expected.click_window_hours = 48;
      expected.fraud.ctit_min_seconds = 5;
      expect(found).toEqual({
        link,
        app: {
          id: app.id,
          platforms: ['ios', 'android', 'web'],
          store_url_ios: null,
          store_url_android: 'https://play.google.com/store/apps/details?id=com.click',
          web_url: 'https://click.example/',
          settings: expected,
        },
      });
      await setLinkEnabled(t.db, app.id, link.id, false);
      expect((await findClickLink(t.db, link.id))?.link.enabled).toBe(false);
      await setLinkEnabled(t.db, app.id, link.id, true);
      expect((await findClickLink(t.db, link.id))?.link.enabled).toBe(true);
      for (const junk of [
        '',
        'lnk_',
        `${link.id}x`,
        "lnk_'; drop table links;--",
        link.id.toLowerCase() === link.id ? 'lnk_ZZZZZZZZZZZZ' : link.id.toLowerCase(),
      ]) {
        expect(await findClickLink(t.db, junk)).toBeNull();
      }
      const gone = (await createLink(t.db, app.id, BASE))!;
      await deleteLink(t.db, app.id, gone.id);
      expect(await findClickLink(t.db, gone.id)).toBeNull();
      await deleteApp(t.db, app.id);
      expect(await findClickLink(t.db, link.id)).toBeNull();
    });

    it('keeps unicode campaign labels intact', async () => {
      const appId = await newApp(t);
      const labels = ['春のセール', 'Ünïcödé café', '🚀 launch 👩‍💻', 'حملة'];
      for (const campaign of labels) {
        const link = (await createLink(t.db, appId, { ...BASE, campaign, ad_set: campaign }))!;
        expect(await getLink(t.db, appId, link.id)).toMatchObject({ campaign, ad_set: campaign });
      }
    });

    it('puts, replaces, lists and deletes partner templates', async () => {
      const appId = await newApp(t);
      const url = 'https://postback.network.example/cb?click={click_id}&ev={event_name}&rev={revenue}&x={idfa}';
      const first = await putPartner(t.db, appId, 'network_a', {
        url,
        method: 'post' as 'POST',
        events: [' purchase ', 'install', 'purchase', 'level_up'],
      });
      expect(first).toEqual({
        partner: {
          app_id: appId,
          media_source: 'network_a',
          url,
          method: 'POST',
          events: ['purchase', 'level_up'],
          enabled: true,
          created_at: expect.stringMatching(ISO_MS_UTC),
          updated_at: expect.stringMatching(ISO_MS_UTC),
        },
        created: true,
        unknown_macros: ['idfa'],
      });
      expect(await getPartner(t.db, appId, 'network_a')).toEqual(first!.partner);
      await new Promise((r) => setTimeout(r, 5));
      const replaced = await putPartner(t.db, appId, 'network_a', { url: 'https://n.example/i?c={click_id}', enabled: false });
      expect(replaced?.created).toBe(false);
      expect(replaced?.unknown_macros).toEqual([]);
      expect(replaced?.partner).toMatchObject({ method: 'GET', events: [], enabled: false, created_at: first!.partner.created_at });
      expect(Date.parse(replaced!.partner.updated_at)).toBeGreaterThan(Date.parse(first!.partner.updated_at));
      await putPartner(t.db, appId, 'Network_A', { url: 'https://n.example/upper' });
      expect((await listPartners(t.db, appId)).map((p) => p.media_source)).toEqual(['Network_A', 'network_a']);
      expect(await deletePartner(t.db, appId, 'network_a')).toBe(true);
      expect(await deletePartner(t.db, appId, 'network_a')).toBe(false);
      expect(await getPartner(t.db, appId, 'network_a')).toBeNull();
      expect((await getPartner(t.db, appId, 'Network_A'))?.url).toBe('https://n.example/upper');
      expect(await putPartner(t.db, 'app_unknown', 'network_a', { url: 'https://n.example/' })).toBeNull();
    });

    it('refuses partner templates that could go anywhere else than an http(s) host chosen by the manager', async () => {
      const appId = await newApp(t);
      const refused: [string, Parameters<typeof putPartner>[3], string][] = [
        ['organic', { url: 'https://n.example/' }, 'media_source'],
        ['net', { url: 'ftp://n.example/{click_id}' }, 'url'],
        ['net', { url: 'https://{site_id}/cb' }, 'url'],
        ['net', { url: 'https://n.example:{ad}/cb' }, 'url'],
        ['net', { url: '{campaign}://n.example/cb' }, 'url'],
        ['net', { url: 'https://u:p@n.example/cb' }, 'url'],
        ['net', { url: 'not a url' }, 'url'],
        ['net', { url: 'https://n.example/', method: 'PUT' as 'GET' }, 'method'],
        ['net', { url: 'https://n.example/', events: ['ok', ''] }, 'events[1]'],
        ['net', { url: 'https://n.example/', events: 'purchase' as never }, 'events'],
        ['net', { url: 'https://n.example/', enabled: 1 as never }, 'enabled'],
      ];
      for (const [source, input, field] of refused) {
        await expect(putPartner(t.db, appId, source, input), field).rejects.toSatisfy(
          (err) => err instanceof PartnerInputError && err.field === field && err.code === 'invalid_partner',
        );
      }
      expect(await listPartners(t.db, appId)).toEqual([]);
    });

    // Last: it replaces the connections.
    it('keeps links and partners when reopened', async () => {
      const appId = await newApp(t);
      const link = (await createLink(t.db, appId, BASE))!;
      const partner = (await putPartner(t.db, appId, 'facebook_ads', { url: 'https://n.example/?c={click_id}' }))!.partner;
      await t.reopen();
      expect(await getLink(t.db, appId, link.id)).toEqual(link);
      expect(await getPartner(t.db, appId, 'facebook_ads')).toEqual(partner);
    });
  });
}

await forEachControlAdapter(linksContract);
