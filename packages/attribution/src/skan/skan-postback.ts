/**
 * One postback as Apple sends it, reduced to the fields this server reads. SKAdNetwork sends flat
 * JSON with an `attribution-signature`; AdAttributionKit sends a `jws-string` whose payload holds
 * the signed fields, with the conversion values beside it (they are not signed in either form).
 */
export type CoarseValue = 'low' | 'medium' | 'high';
export const COARSE_VALUES: readonly CoarseValue[] = ['low', 'medium', 'high'];

export interface SkanPostback {
  kind: 'skan' | 'aak';
  /** '2.0' … '4.0' for SKAdNetwork; 'aak' for AdAttributionKit. */
  version: string;
  ad_network_id: string;
  /** App Store id of the advertised app. */
  app_id: string;
  /** `transaction-id` (SKAdNetwork) or `postback-identifier` (AdAttributionKit): the dedupe key. */
  transaction_id: string;
  /** 2–4 digits (SKAN 4, AAK); the 2-digit `campaign-id` of earlier versions, as text. */
  source_identifier: string | null;
  source_app_id: string | null;
  source_domain: string | null;
  redownload: boolean | null;
  fidelity_type: number | null;
  did_win: boolean | null;
  /** 0, 1 or 2: which conversion window; 0 for versions before 4. */
  postback_sequence_index: number;
  conversion_value: number | null;
  coarse_conversion_value: CoarseValue | null;
  /** AAK: 'install' or 're-engagement'; SKAN: 'install'. */
  conversion_type: string;
  country_code: string | null;
}

export class PostbackShapeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PostbackShapeError';
  }
}

type Raw = Record<string, unknown>;

/** Reads the common fields; throws PostbackShapeError naming the first field with a wrong type. */
export function readSkanFields(raw: Raw, kind: 'skan' | 'aak', version: string, signed: Raw): SkanPostback {
  const isV4 = kind === 'aak' || Number(version) >= 4;
  const sequence = isV4 ? (optInt(signed, 'postback-sequence-index', 0, 2) ?? 0) : 0;
  const source =
    kind === 'aak'
      ? reqDigits(signed, 'source-identifier')
      : isV4
        ? optDigits(signed, 'source-identifier')
        : optIdText(signed, 'campaign-id');
  return {
    kind,
    version,
    ad_network_id: reqText(signed, kind === 'aak' ? 'ad-network-identifier' : 'ad-network-id', 200),
    app_id: reqIdText(signed, kind === 'aak' ? 'advertised-item-identifier' : 'app-id'),
    transaction_id: reqText(signed, kind === 'aak' ? 'postback-identifier' : 'transaction-id', 100),
    source_identifier: source,
    source_app_id: optIdText(signed, kind === 'aak' ? 'publisher-item-identifier' : 'source-app-id'),
    source_domain: optText(signed, 'source-domain', 253),
    redownload: optBool(signed, 'redownload'),
    fidelity_type: optInt(signed, 'fidelity-type', 0, 1),
    did_win: optBool(signed, 'did-win'),
    postback_sequence_index: sequence,
    conversion_value: optInt(raw, 'conversion-value', 0, 63),
    coarse_conversion_value: optCoarse(raw),
    conversion_type: kind === 'aak' ? (optText(signed, 'conversion-type', 40) ?? 'install') : 'install',
    country_code: optText(raw, 'country-code', 8),
  };
}

function reqText(o: Raw, key: string, max: number): string {
  const v = optText(o, key, max);
  if (v === null) throw new PostbackShapeError(key, `${key} is required.`);
  return v;
}

function optText(o: Raw, key: string, max: number): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new PostbackShapeError(key, `${key} must be a string of 1 to ${max} characters.`);
  }
  return v;
}

/** App Store ids arrive as JSON numbers; kept as decimal text so the signed string is exact. */
function optIdText(o: Raw, key: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  throw new PostbackShapeError(key, `${key} must be a non-negative integer.`);
}

function reqIdText(o: Raw, key: string): string {
  const v = optIdText(o, key);
  if (v === null) throw new PostbackShapeError(key, `${key} is required.`);
  return v;
}

function optDigits(o: Raw, key: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !/^\d{2,4}$/.test(v)) throw new PostbackShapeError(key, `${key} must be a string of 2 to 4 digits.`);
  return v;
}

function reqDigits(o: Raw, key: string): string {
  const v = optDigits(o, key);
  if (v === null) throw new PostbackShapeError(key, `${key} is required.`);
  return v;
}

function optBool(o: Raw, key: string): boolean | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw new PostbackShapeError(key, `${key} must be true or false.`);
  return v;
}

function optInt(o: Raw, key: string, min: number, max: number): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new PostbackShapeError(key, `${key} must be an integer from ${min} to ${max}.`);
  }
  return v;
}

function optCoarse(o: Raw): CoarseValue | null {
  const v = o['coarse-conversion-value'];
  if (v === undefined || v === null) return null;
  if (!COARSE_VALUES.includes(v as CoarseValue)) {
    throw new PostbackShapeError('coarse-conversion-value', 'coarse-conversion-value must be low, medium or high.');
  }
  return v as CoarseValue;
}
