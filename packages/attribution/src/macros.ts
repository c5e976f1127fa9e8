/**
 * Postback templates (docs/attribution-rules.md "Postbacks"): `{macro}` placeholders in a partner's URL.
 *  - Known macro → its value, percent-encoded (RFC 3986 strict: encodeURIComponent plus !'()*), so a value
 *    can never break out of its query parameter.
 *  - Known macro without a value → ''.
 *  - Unknown macro (e.g. `{idfa}`, `{CLICK_ID}`) → left as written: templates may hold literal braces, and a
 *    typo stays visible in the delivery log instead of silently becoming ''. Use unknownMacros() to warn
 *    when a partner template is saved.
 */
export const MACROS = [
  'click_id',
  'install_id',
  'event_name',
  'event_id',
  'revenue',
  'currency',
  'advertising_id',
  'device_id',
  'campaign',
  'ad_set',
  'ad',
  'site_id',
  'timestamp',
  'match_type',
  'ctit',
] as const;
export type MacroName = (typeof MACROS)[number];

/** What one postback is about. */
export interface PostbackValues {
  /** the NETWORK's click id (network_click_id), which the partner knows; '' for view-through/organic */
  click_id: string;
  install_id: string;
  /** 'install' for the install postback, else the event name */
  event_name: string;
  event_id: string;
  revenue: number | null;
  currency: string;
  advertising_id: string;
  device_id: string;
  campaign: string;
  ad_set: string;
  ad: string;
  site_id: string;
  /** epoch ms; rendered as Unix SECONDS, what ad networks' postback endpoints expect */
  timestamp: number;
  match_type: string;
  /** whole seconds click-to-install; null when there was no touch */
  ctit: number | null;
}

const MACRO_PATTERN = /\{([A-Za-z0-9_]+)\}/g;
const KNOWN = new Set<string>(MACROS);
// Unpaired surrogates make encodeURIComponent throw; a bad character must not lose a postback.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function encodeMacroValue(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Decimal text without exponent, so '1e-7' never reaches a partner that parses numbers naively. */
export function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '';
  const plain = String(n);
  if (!/e/i.test(plain)) return plain;
  return Math.abs(n) < 1 ? n.toFixed(20).replace(/\.?0+$/, '') : BigInt(Math.round(n)).toString();
}

/** Every macro as the text it renders to, before encoding. */
export function macroText(values: PostbackValues): Record<MacroName, string> {
  return {
    click_id: values.click_id,
    install_id: values.install_id,
    event_name: values.event_name,
    event_id: values.event_id,
    revenue: formatNumber(values.revenue),
    currency: values.currency,
    advertising_id: values.advertising_id,
    device_id: values.device_id,
    campaign: values.campaign,
    ad_set: values.ad_set,
    ad: values.ad,
    site_id: values.site_id,
    timestamp: String(Math.floor(values.timestamp / 1000)),
    match_type: values.match_type,
    ctit: formatNumber(values.ctit),
  };
}

export function renderPostbackUrl(template: string, values: PostbackValues): string {
  const text = macroText(values);
  return template.replace(MACRO_PATTERN, (whole, name: string) => (KNOWN.has(name) ? encodeMacroValue(text[name as MacroName]) : whole));
}

/** The `{names}` in a template that are not macros, for a warning when a partner template is saved. */
export function unknownMacros(template: string): string[] {
  const found = new Set<string>();
  for (const m of template.matchAll(MACRO_PATTERN)) if (!KNOWN.has(m[1]!)) found.add(m[1]!);
  return [...found];
}

export type PostbackJson = Record<Exclude<MacroName, 'revenue' | 'ctit' | 'timestamp'>, string> & {
  revenue: number | null;
  ctit: number | null;
  timestamp: number;
};

/**
 * The body of a POST postback: every macro as a JSON field, numbers as numbers (timestamp in Unix seconds,
 * as in the URL). Not percent-encoded: JSON.stringify escapes what JSON needs. The URL of a POST is still
 * rendered with renderPostbackUrl.
 */
export function postbackJsonBody(values: PostbackValues): PostbackJson {
  const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
  return {
    click_id: values.click_id,
    install_id: values.install_id,
    event_name: values.event_name,
    event_id: values.event_id,
    revenue: finite(values.revenue),
    currency: values.currency,
    advertising_id: values.advertising_id,
    device_id: values.device_id,
    campaign: values.campaign,
    ad_set: values.ad_set,
    ad: values.ad,
    site_id: values.site_id,
    timestamp: Math.floor(values.timestamp / 1000),
    match_type: values.match_type,
    ctit: finite(values.ctit),
  };
}
