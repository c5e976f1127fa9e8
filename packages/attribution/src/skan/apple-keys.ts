/**
 * Apple's published public keys for postback signatures (SubjectPublicKeyInfo, base64 DER).
 *
 * - SKAdNetwork 2.1 and later, and AdAttributionKit production postbacks (`kid`
 *   `apple-cas-identifier/0`): the NIST P-256 key on Apple's "Verifying an install-validation
 *   postback" (StoreKit) and "Verifying a postback" (AdAttributionKit) pages.
 * - SKAdNetwork 2.0 (and 1.0): the P-192 key in Apple's SKAdNetwork 2 release notes.
 * - AdAttributionKit development keys (`apple-development-identifier/0` for end-to-end
 *   development flows, `/1` for postbacks made from the device's developer settings): the
 *   AdAttributionKit page above. They are accepted only when SKAN_ACCEPT_DEVELOPMENT_KEYS is on,
 *   because anyone with a test device can produce such postbacks.
 */
export const APPLE_SKAN_KEY_P256 =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWdp8GPcGqmhgzEFj9Z2nSpQVddayaPe4FMzqM9wib1+aHaaIzoHoLN9zW4K8y4SPykE3YVK3sVqW6Af0lfx3gg==';
export const APPLE_SKAN_KEY_P192_V2 =
  'MEkwEwYHKoZIzj0CAQYIKoZIzj0DAQEDMgAEMyHD625uvsmGq4C43cQ9BnfN2xslVT5V1nOmAMP6qaRRUll3PB1JYmgSm+62sosG';

/** AdAttributionKit JWS `kid` → key. */
export const APPLE_AAK_PRODUCTION_KEYS: Readonly<Record<string, string>> = {
  'apple-cas-identifier/0': APPLE_SKAN_KEY_P256,
};
export const APPLE_AAK_DEVELOPMENT_KEYS: Readonly<Record<string, string>> = {
  'apple-development-identifier/0':
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELeEDzpJEP+/qRSE5hJVC1p1J0ssUnQGMzBBbvnACBok8OVGGLgxL0myrKiy6lvRtSlLRsWit87i+vftD8AEqeQ==',
  'apple-development-identifier/1':
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8YzdO7eM97s/IJ25kdW5CZ3A14USE5IJ5Ha/vhWaxI6UBI1ZxCEvjrKxVluVGe6qWwF1BDFq+QHqKfH5u+wxHQ==',
};
