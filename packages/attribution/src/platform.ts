import type { Platform } from './types.ts';

/**
 * Which store a click's visitor belongs to, from the User-Agent. Order matters:
 *  - Windows Phone / Windows Mobile UAs carry "Android" and even "iPhone" tokens for compatibility → web.
 *  - KaiOS and other feature-phone browsers → web.
 *  - iPhone / iPad / iPod / iOS tokens (Safari, WKWebView in-app browsers, Facebook's FBIOS) → ios.
 *  - Android (Chrome, WebView, Dalvik app clients, Fire OS, HarmonyOS compatibility) → android.
 * iPadOS 13+ Safari asks for desktop sites and sends a Mac UA; it cannot be told apart and is web.
 */
const NOT_MOBILE_STORE = /Windows Phone|Windows Mobile|IEMobile|KAIOS/i;
const IOS = /\b(?:iPhone|iPad|iPod)\b|\biOS\b|FBIOS|CFNetwork\/[\d.]+ Darwin/i;
const ANDROID = /\bAndroid\b|\bDalvik\//i;

export function platformFromUserAgent(ua: string): Platform {
  if (ua === '' || NOT_MOBILE_STORE.test(ua)) return 'web';
  if (IOS.test(ua) && !/\bAndroid\b/i.test(ua)) return 'ios';
  if (ANDROID.test(ua)) return 'android';
  return 'web';
}

const IOS_VERSION = [/\b(?:iPhone )?OS (\d+(?:[_.]\d+)*) like Mac OS X/i, /FBSV\/(\d+(?:\.\d+)*)/, /\biOS[ /](\d+(?:[._]\d+)*)/i];
const ANDROID_VERSION = /\bAndroid[ /]?(\d+(?:\.\d+)*)/i;
/** Chrome's reduced UA freezes every Android device at "Android 10; K": the version there is not the device's. */
const REDUCED_ANDROID_UA = /\bAndroid 10; K\)/;

/**
 * The OS version as dotted digits ('17.1.2', '14'), '' when unknown or known to be false. Probabilistic
 * matching compares it, so a made-up value is worse than none.
 */
export function osVersionFromUserAgent(ua: string, platform: Platform = platformFromUserAgent(ua)): string {
  if (platform === 'ios') {
    for (const pattern of IOS_VERSION) {
      const m = pattern.exec(ua);
      if (m) return m[1]!.replace(/_/g, '.');
    }
    return '';
  }
  if (platform === 'android') {
    if (REDUCED_ANDROID_UA.test(ua)) return '';
    return ANDROID_VERSION.exec(ua)?.[1] ?? '';
  }
  return '';
}
