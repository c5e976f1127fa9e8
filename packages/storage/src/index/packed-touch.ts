import { createHash } from 'node:crypto';
import type { Platform, Touchpoint } from '@unmogrowp/attribution';
import { readTouchStrings, SingleRecord, writeTouchStrings } from './touch-record.ts';

/**
 * One touch as the Redis index stores it, in as few bytes as it takes:
 *   flags(1) · ts(6, ms) · link profile id(6) · os_version · site_id · touch strings
 * flags: bit 0 impression, bits 1–2 platform; os_version and site_id as varint length + UTF-8
 * (site_id varies per click, so it stays out of the shared profile). The touch strings are the memory index's record
 * (touch-record.ts: touch id, advertising id as 16 bytes when a UUID, IP as 4/16 bytes, network
 * click id). What many touches share — app, link, labels, windows — is the link profile, stored
 * once per period under its id. Lua reads ts at bytes 2–7 and the profile id at 8–13 (1-based).
 */
export const PROFILE_ID_AT = 7;
/** 48 bits: profiles of one period number in the thousands, so ids do not collide (~n²/2⁴⁹). */
export const PROFILE_ID_BYTES = 6;
const HEADER = 1 + 6 + PROFILE_ID_BYTES;
const PLATFORMS: readonly Platform[] = ['ios', 'android', 'web'];
const MAX_TS = 2 ** 48 - 1;

/** The labels a touch shares with its link, as a JSON array (its id is the first 8 bytes of its SHA-1). */
export function linkProfileJson(t: Touchpoint): string {
  return JSON.stringify([
    t.app_id,
    t.link_id,
    t.media_source,
    t.campaign,
    t.ad_set,
    t.ad,
    t.is_retargeting ? 1 : 0,
    t.click_window_ms,
    t.view_window_ms,
  ]);
}

export interface LinkProfileFields {
  app_id: string;
  link_id: string;
  media_source: string;
  campaign: string;
  ad_set: string;
  ad: string;
  is_retargeting: boolean;
  click_window_ms: number;
  view_window_ms: number;
}

export function parseLinkProfile(json: string): LinkProfileFields {
  const [app_id, link_id, media_source, campaign, ad_set, ad, retargeting, click_window_ms, view_window_ms] = JSON.parse(json);
  return { app_id, link_id, media_source, campaign, ad_set, ad, is_retargeting: retargeting === 1, click_window_ms, view_window_ms };
}

/** First `bytes` (default 8) of SHA-1: ids for touches, profiles and lookup keys (8 bytes: a collision is ~n²/2⁶⁵). */
export function shortId(text: string, bytes = 8): Buffer {
  return createHash('sha1').update(text).digest().subarray(0, bytes);
}

/** True when `ts` fits the 6-byte time field. */
export function packableTime(ts: number): boolean {
  return Number.isSafeInteger(ts) && ts >= 0 && ts <= MAX_TS;
}

export function packTouch(t: Touchpoint, profileId: Buffer): Buffer {
  const strings = new SingleRecord();
  writeTouchStrings(strings, t);
  const texts = Buffer.concat([lengthPrefixed(t.os_version), lengthPrefixed(t.site_id)]);
  const out = Buffer.allocUnsafe(HEADER + texts.length + strings.end);
  out[0] = (t.kind === 'impression' ? 1 : 0) | (Math.max(0, PLATFORMS.indexOf(t.platform)) << 1);
  out.writeUIntBE(t.ts, 1, 6);
  profileId.copy(out, PROFILE_ID_AT, 0, PROFILE_ID_BYTES);
  const at = HEADER + texts.copy(out, HEADER);
  strings.buf.copy(out, at, 0, strings.end);
  return out;
}

export function packedTime(record: Buffer): number {
  return record.readUIntBE(1, 6);
}

export function unpackTouch(record: Buffer, profile: LinkProfileFields): Touchpoint {
  const flags = record[0]!;
  const cursor = { at: HEADER };
  const os_version = readText(record, cursor);
  const site_id = readText(record, cursor);
  const s = readTouchStrings(SingleRecord.of(record, cursor.at), 0);
  return {
    kind: flags & 1 ? 'impression' : 'click',
    touch_id: s.touch_id,
    app_id: profile.app_id,
    link_id: profile.link_id,
    ts: packedTime(record),
    advertising_id: s.advertising_id,
    ip: s.ip,
    platform: PLATFORMS[(flags >> 1) & 3] ?? 'ios',
    os_version,
    media_source: profile.media_source,
    campaign: profile.campaign,
    ad_set: profile.ad_set,
    ad: profile.ad,
    site_id,
    network_click_id: s.network_click_id,
    is_retargeting: profile.is_retargeting,
    click_window_ms: profile.click_window_ms,
    view_window_ms: profile.view_window_ms,
    fraud_reason: '',
  };
}

function lengthPrefixed(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  let n = body.length;
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Buffer.concat([Buffer.from(bytes), body]);
}

function readText(record: Buffer, cursor: { at: number }): string {
  let len = 0;
  let scale = 1;
  for (;;) {
    const b = record[cursor.at++]!;
    len += (b & 0x7f) * scale;
    if (b < 0x80) break;
    scale *= 0x80;
  }
  const text = record.toString('utf8', cursor.at, cursor.at + len);
  cursor.at += len;
  return text;
}
