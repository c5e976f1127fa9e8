import type { DeepLinkingApp } from '@unmogrowp/storage';

/**
 * The click domain's app association documents, built from the apps' `deep_linking` settings
 * (docs/deep-links.md). Pure: apps in, JSON out.
 */

export interface AppSiteAssociation {
  applinks: { details: { appIDs: string[]; components: Record<string, string>[] }[] };
}

export interface AssetLinkStatement {
  relation: string[];
  target: { namespace: 'android_app'; package_name: string; sha256_cert_fingerprints: string[] };
}

/**
 * Apple's `applinks` (the `appIDs` + `components` form, iOS 13 and later). One iOS app on the
 * domain claims every tracking link (`/c/*`), so links created later open the app without
 * waiting for Apple's CDN to fetch the file again. Apps sharing the domain each claim only their
 * own links' paths: otherwise one app's installed copy would open another app's links.
 */
export function appSiteAssociation(apps: readonly DeepLinkingApp[]): AppSiteAssociation {
  const ios = apps.filter((a) => a.settings.ios);
  return {
    applinks: {
      details: ios.map((a) => ({
        appIDs: [`${a.settings.ios?.team_id}.${a.settings.ios?.bundle_id}`],
        components:
          ios.length === 1
            ? [{ '/': '/c/*', comment: 'tracking links open the app' }]
            : a.link_ids.map((id) => ({ '/': `/c/${id}`, comment: 'a tracking link of this app' })),
      })),
    },
  };
}

/** Google's Digital Asset Links statement list: each Android app may handle this domain's URLs. */
export function assetLinks(apps: readonly DeepLinkingApp[]): AssetLinkStatement[] {
  return apps.flatMap((a) =>
    a.settings.android
      ? [
          {
            relation: ['delegate_permission/common.handle_all_urls'],
            target: {
              namespace: 'android_app' as const,
              package_name: a.settings.android.package_name,
              sha256_cert_fingerprints: a.settings.android.sha256_cert_fingerprints,
            },
          },
        ]
      : [],
  );
}
