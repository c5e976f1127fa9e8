import { MACROS, type PostbackValues, renderPostbackUrl, unknownMacros } from '@unmogrowp/attribution';
import { httpUrl, MAX_MEDIA_SOURCE, MAX_URL, mediaSource, plainText } from './text-fields.ts';

/** Input the partners repository refuses, naming the field; the API maps it to 400 `invalid_partner`. */
export class PartnerInputError extends Error {
  readonly code = 'invalid_partner';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'PartnerInputError';
  }
}

export type PostbackMethod = 'GET' | 'POST';
export const POSTBACK_METHODS: readonly PostbackMethod[] = ['GET', 'POST'];

/** The body of `PUT …/partners/:media_source`: the whole template is replaced. */
export interface PartnerInput {
  url: string;
  /** default GET; POST sends the macros as a JSON body (see postbackJsonBody) */
  method?: PostbackMethod;
  /** events to post back besides installs, by event name */
  events?: string[];
  enabled?: boolean;
}

export interface PartnerColumns {
  media_source: string;
  url: string;
  method: PostbackMethod;
  events: string[];
  enabled: boolean;
}

const MAX_EVENTS = 100;
const MAX_EVENT_NAME = 200;
/** Installs are always posted back; naming them in `events` changes nothing, so it is dropped. */
const ALWAYS_SENT = 'install';

const ORIGIN = /^https?:\/\/[^/?#]*/i;

/** A value for every macro, so a template can be checked by rendering it. */
const SAMPLE: PostbackValues = {
  click_id: 'x',
  install_id: 'x',
  event_name: 'x',
  event_id: 'x',
  revenue: 1,
  currency: 'USD',
  advertising_id: 'x',
  device_id: 'x',
  campaign: 'x',
  ad_set: 'x',
  ad: 'x',
  site_id: 'x',
  timestamp: 0,
  match_type: 'x',
  ctit: 1,
};

export function normalizePartner(media_source: unknown, input: PartnerInput): PartnerColumns {
  const source = mediaSource(media_source);
  if (source === null) {
    throw new PartnerInputError(
      'media_source',
      `media_source must be 1 to ${MAX_MEDIA_SOURCE} characters without control characters, and not "organic".`,
    );
  }
  if (typeof input !== 'object' || input === null) throw new PartnerInputError('', 'A partner must be a JSON object.');
  return {
    media_source: source,
    url: normalizeTemplate(input.url),
    method: normalizeMethod(input.method),
    events: normalizeEvents(input.events),
    enabled: input.enabled === undefined ? true : normalizeEnabled(input.enabled),
  };
}

/** The `{names}` a template uses that are not macros: saved as written, but worth a warning. */
export function templateWarnings(url: string): string[] {
  return unknownMacros(url);
}

/** Other values for every macro, shaped like a host: a template whose origin changes with them is refused. */
const OTHER_SAMPLE: PostbackValues = Object.fromEntries(
  Object.entries(SAMPLE).map(([k, v]) => [k, typeof v === 'number' ? v + 7 : 'attacker.example']),
) as unknown as PostbackValues;

/**
 * Valid when the template, with every macro filled in, is an http(s) URL, and no macro can reach
 * its scheme, host or port: some macro values come from click query parameters (site_id, ad, …),
 * so a macro there would let anyone who clicks choose where the postback goes. Checked on the
 * parsed result, not the text: `https:///{site_id}/pb` parses with the macro as its host.
 */
function normalizeTemplate(url: unknown): string {
  const rendered = typeof url === 'string' ? httpUrl(renderPostbackUrl(url, SAMPLE)) : null;
  const other = typeof url === 'string' ? httpUrl(renderPostbackUrl(url, OTHER_SAMPLE)) : null;
  const valid =
    typeof url === 'string' &&
    url.length <= MAX_URL &&
    url.trim() === url &&
    !(ORIGIN.exec(url)?.[0] ?? '{').includes('{') &&
    rendered !== null &&
    other !== null &&
    rendered.origin === other.origin;
  if (!valid) {
    throw new PartnerInputError(
      'url',
      `url must be an http(s) URL of at most ${MAX_URL} characters (macros: ${MACROS.map((m) => `{${m}}`).join(' ')}), without user:password@ and without macros in the host.`,
    );
  }
  return url as string;
}

function normalizeMethod(method: unknown): PostbackMethod {
  if (method === undefined) return 'GET';
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  if (!POSTBACK_METHODS.includes(upper as PostbackMethod)) throw new PartnerInputError('method', 'method must be GET or POST.');
  return upper as PostbackMethod;
}

/** Trimmed, without duplicates, in the order given; "install" dropped (always sent). */
function normalizeEvents(events: unknown): string[] {
  if (events === undefined || events === null) return [];
  if (!Array.isArray(events) || events.length > MAX_EVENTS) {
    throw new PartnerInputError('events', `events must be a list of at most ${MAX_EVENTS} event names.`);
  }
  const out: string[] = [];
  events.forEach((name, i) => {
    const text = plainText(name, 1, MAX_EVENT_NAME);
    if (text === null) {
      throw new PartnerInputError(`events[${i}]`, `every event name must be 1 to ${MAX_EVENT_NAME} characters without control characters.`);
    }
    if (text !== ALWAYS_SENT && !out.includes(text)) out.push(text);
  });
  return out;
}

function normalizeEnabled(enabled: unknown): boolean {
  if (typeof enabled !== 'boolean') throw new PartnerInputError('enabled', 'enabled must be true or false.');
  return enabled;
}
