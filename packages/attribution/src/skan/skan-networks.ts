/**
 * Well-known SKAdNetwork ids → media source. Each id is the one the network itself tells app
 * developers to add to `SKAdNetworkItems` in their Info.plist (the networks' public integration
 * guides). An app can add to or override this list (`networks` in its SKAN settings).
 */
export const BUILT_IN_SKAN_NETWORKS: Readonly<Record<string, string>> = {
  'cstr6suwn9.skadnetwork': 'google',
  'v9wttpbfk9.skadnetwork': 'meta',
  'n38lu8286q.skadnetwork': 'meta',
  '4dzt52r2t5.skadnetwork': 'unity',
  'ludvb6z3bs.skadnetwork': 'applovin',
  'su67r6k2v3.skadnetwork': 'ironsource',
  '424m5254lk.skadnetwork': 'snapchat',
  'gta9lk7p23.skadnetwork': 'liftoff',
  'f38h382jlk.skadnetwork': 'chartboost',
  '4pfyvq9l8r.skadnetwork': 'adcolony',
  'kbd757ywx3.skadnetwork': 'mintegral',
  '22mmun2rn5.skadnetwork': 'pangle',
  '238da6jt44.skadnetwork': 'pangle',
  'wzmmz9fp6w.skadnetwork': 'inmobi',
};

/** The media source of an ad network id: the app's own mapping first, then the built-in list. */
export function mediaSourceOf(adNetworkId: string, appNetworks: Readonly<Record<string, string>>): string {
  const id = adNetworkId.toLowerCase();
  return appNetworks[id] ?? BUILT_IN_SKAN_NETWORKS[id] ?? id;
}

/**
 * The campaign of a source identifier. Networks define up to four digits; at lower privacy tiers
 * Apple sends only the rightmost two or three, so a shorter id matches the configured ids it ends
 * — when they all name the same campaign.
 */
export function campaignOf(sourceId: string | null, campaigns: Readonly<Record<string, string>> | undefined): string | null {
  if (!sourceId || !campaigns) return null;
  const exact = campaigns[sourceId];
  if (exact) return exact;
  const names = new Set(
    Object.entries(campaigns)
      .filter(([id]) => id.length > sourceId.length && id.endsWith(sourceId))
      .map(([, n]) => n),
  );
  return names.size === 1 ? ([...names][0] ?? null) : null;
}
