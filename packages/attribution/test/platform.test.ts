import { describe, expect, it } from 'vitest';
import { osVersionFromUserAgent, platformFromUserAgent } from '../src/index.ts';

const table: [string, string, 'ios' | 'android' | 'web', string][] = [
  [
    'iPhone Safari',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1',
    'ios',
    '17.1.2',
  ],
  ['iPad Safari', 'Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', 'ios', '12.2'],
  [
    'iPod touch',
    'Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1',
    'ios',
    '12.5.7',
  ],
  [
    'Chrome on iOS',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
    'ios',
    '16.6',
  ],
  [
    'Facebook in-app browser on iOS',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,2;FBMD/iPhone;FBSN/iOS;FBSV/16.5;FBSS/3]',
    'ios',
    '16.5',
  ],
  ['an app client on iOS', 'MyGame/3.2 (iOS 17.0.1; iPhone15,3)', 'ios', '17.0.1'],
  ['an Android client that names no version', 'Dalvik/2.1.0 (Linux; U; Android; SM-G991B)', 'android', ''],
  ['no User-Agent at all', '', 'web', ''],
  ['CFNetwork app request', 'MyGame/1 CFNetwork/1410.0.3 Darwin/22.6.0', 'ios', ''],
  [
    'Android Chrome (full UA)',
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
    'android',
    '13',
  ],
  [
    'Android dotted version',
    'Mozilla/5.0 (Linux; U; Android 4.4.2; en-us; Nexus 5 Build/KOT49H) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30',
    'android',
    '4.4.2',
  ],
  [
    'Android Chrome reduced UA (frozen version)',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
    'android',
    '',
  ],
  [
    'Android WebView',
    'Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SD1A.210817.023; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/94.0.4606.71 Mobile Safari/537.36',
    'android',
    '12',
  ],
  ['Dalvik app client', 'Dalvik/2.1.0 (Linux; U; Android 11; M2101K6G Build/RKQ1.200826.002)', 'android', '11'],
  [
    'Kindle Fire Silk',
    'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/108.4.1 like Chrome/108.0.5359.220 Safari/537.36',
    'android',
    '9',
  ],
  [
    'Windows Phone 8.1 pretending to be Android and iPhone',
    'Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537',
    'web',
    '',
  ],
  [
    'Windows 10 Mobile Edge',
    'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063',
    'web',
    '',
  ],
  ['KaiOS', 'Mozilla/5.0 (Mobile; Nokia_8110_4G; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5', 'web', ''],
  [
    'desktop Chrome',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'web',
    '',
  ],
  [
    'desktop Safari (also iPadOS asking for desktop sites)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    'web',
    '',
  ],
  ['Linux desktop Firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'web', ''],
  ['curl', 'curl/8.4.0', 'web', ''],
  ['empty', '', 'web', ''],
];

describe('platformFromUserAgent / osVersionFromUserAgent', () => {
  it.each(table)('%s', (_name, ua, platform, version) => {
    expect(platformFromUserAgent(ua)).toBe(platform);
    expect(osVersionFromUserAgent(ua)).toBe(version);
    // The click route passes the platform it found, to run the patterns once.
    expect(osVersionFromUserAgent(ua, platform)).toBe(version);
  });
});
