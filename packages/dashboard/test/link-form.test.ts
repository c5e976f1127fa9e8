import { describe, expect, it } from 'vitest';
import type { Link } from '../src/lib/api/types.ts';
import { checkLinkForm, createBody, emptyLinkForm, formFromLink, patchBody } from '../src/lib/link-form.ts';

const link: Link = {
  id: 'lnk_1',
  app_id: 'app_1',
  name: 'Launch',
  media_source: 'facebook_ads',
  campaign: 'launch',
  ad_set: 'lookalike',
  ad: null,
  site_id: null,
  destinations: { ios: 'https://apps.apple.com/app/id1' },
  click_window_hours: 48,
  view_window_hours: null,
  is_retargeting: false,
  enabled: true,
  deep_link: null,
  created_at: '2026-06-01T00:00:00.000Z',
  updated_at: '2026-06-01T00:00:00.000Z',
};

describe('link form', () => {
  it('creates with only the fields that are set', () => {
    const form = {
      ...emptyLinkForm(),
      name: ' Launch ',
      media_source: 'facebook_ads',
      campaign: 'launch',
      web: 'https://example.com',
      view_window_hours: '24',
    };
    expect(createBody(form)).toEqual({
      name: 'Launch',
      media_source: 'facebook_ads',
      campaign: 'launch',
      destinations: { web: 'https://example.com' },
      view_window_hours: 24,
      is_retargeting: false,
      enabled: true,
    });
  });

  it('patches only what changed, null clearing a field or a destination', () => {
    const before = formFromLink(link);
    const after = {
      ...before,
      ad_set: '',
      ios: '',
      android: 'https://play.google.com/store/apps/details?id=x',
      click_window_hours: '',
      enabled: false,
    };
    expect(patchBody(before, after)).toEqual({
      ad_set: null,
      click_window_hours: null,
      destinations: { ios: null, android: 'https://play.google.com/store/apps/details?id=x' },
      enabled: false,
    });
    expect(patchBody(before, { ...before })).toEqual({});
  });

  it('points at the fields the API would refuse', () => {
    const problems = checkLinkForm({
      ...emptyLinkForm(),
      media_source: 'Organic',
      web: 'ftp://x',
      click_window_hours: '721',
      view_window_hours: '1.5',
    });
    expect(Object.keys(problems).sort()).toEqual(['campaign', 'click_window_hours', 'media_source', 'name', 'view_window_hours', 'web']);
    expect(checkLinkForm(formFromLink(link))).toEqual({});
  });
});

describe('link form: deep link fields', () => {
  it('sends the deep link on create, the whole of it on any change, null when emptied; refuses web and script paths', () => {
    const form = { ...emptyLinkForm(), name: 'n', media_source: 'm', campaign: 'c', deep_value: 'spring', deep_path: '/offers/spring' };
    expect(createBody(form).deep_link).toEqual({
      value: 'spring',
      sub1: null,
      sub2: null,
      sub3: null,
      sub4: null,
      sub5: null,
      path: '/offers/spring',
    });
    expect(createBody({ ...form, deep_value: '', deep_path: '' }).deep_link).toBeUndefined();
    // createBody sends the deep link whole (every field, null where empty), as a stored link has it.
    const before = formFromLink({ ...link, deep_link: (createBody(form).deep_link ?? null) as Link['deep_link'] });
    expect(before.deep_value).toBe('spring');
    expect(patchBody(before, { ...before, deep_sub1: 'blue' }).deep_link).toMatchObject({
      value: 'spring',
      sub1: 'blue',
      path: '/offers/spring',
    });
    expect(patchBody(before, { ...before, deep_value: '', deep_path: '' }).deep_link).toBeNull();
    expect(patchBody(before, { ...before })).toEqual({});
    for (const bad of ['https://x.example', '//x.example', 'javascript://x', '/a b', 'offers'])
      expect(checkLinkForm({ ...form, deep_path: bad }).deep_path, bad).toBeDefined();
    expect(checkLinkForm({ ...form, deep_path: 'myapp://offers/1' }).deep_path).toBeUndefined();
  });
});
