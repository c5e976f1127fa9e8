import { itemOf, listOf, textField } from './answers.ts';
import type { Requester } from './client.ts';
import type { components } from './openapi.d.ts';
import type {
  App,
  AppKeys,
  AppPatch,
  Link,
  LinkFields,
  LinkView,
  Member,
  MemberRole,
  NewApp,
  Partner,
  Postback,
  PostbackStatus,
} from './types.ts';

const appPath = (appId: string) => `/api/apps/${encodeURIComponent(appId)}`;

export async function listApps(api: Requester): Promise<App[]> {
  return listOf<App>(await api.request('GET', '/api/apps'), 'apps').map(withRole);
}

export async function getApp(api: Requester, appId: string): Promise<App> {
  const answer = await api.request<unknown>('GET', appPath(appId));
  const app = itemOf<App>(answer, 'app');
  // The caller's role and the (public) SDK key may sit beside the app (`{app, role, sdk_key}`) or inside it.
  const outerRole = textField(answer, 'role', 'my_role', 'member_role');
  const outerSdkKey = app.sdk_key ? null : textField(answer, 'sdk_key');
  const withSdkKey = outerSdkKey ? { ...app, sdk_key: outerSdkKey } : app;
  const ingestUrl = textField(answer, 'ingest_url');
  const withKey = ingestUrl ? { ...withSdkKey, ingest_url: ingestUrl } : withSdkKey;
  return withRole(outerRole && !app.role ? { ...withKey, role: outerRole as MemberRole } : withKey);
}

function withRole(app: App): App {
  const role = app.role ?? (textField(app, 'my_role', 'member_role') as MemberRole | null);
  return role ? { ...app, role } : app;
}

/** `POST /api/apps`: the new app and its keys (the server key is shown once); no ingest URL from an older server. */
export type CreatedApp = Omit<components['schemas']['AppCreated'], 'ingest_url' | 'app'> & { app: App; ingest_url?: string };

export async function createApp(api: Requester, input: NewApp): Promise<CreatedApp> {
  const answer = await api.request<Record<string, unknown>>('POST', '/api/apps', { body: input });
  return {
    app: itemOf<App>(answer, 'app'),
    sdk_key: textField(answer, 'sdk_key') ?? '',
    server_key: textField(answer, 'server_key') ?? '',
    ingest_url: textField(answer, 'ingest_url') ?? undefined,
  };
}

export async function updateApp(api: Requester, appId: string, patch: AppPatch): Promise<App> {
  return itemOf<App>(await api.request('PATCH', appPath(appId), { body: patch }), 'app');
}

export async function deleteApp(api: Requester, appId: string): Promise<void> {
  await api.request('DELETE', appPath(appId));
}

/** Rotating revokes the old SDK and server keys at once. */
export async function rotateKeys(api: Requester, appId: string): Promise<AppKeys> {
  const answer = await api.request<unknown>('POST', `${appPath(appId)}/keys`);
  return {
    sdk_key: textField(answer, 'sdk_key') ?? '',
    server_key: textField(answer, 'server_key') ?? '',
    ingest_url: textField(answer, 'ingest_url') ?? undefined,
  };
}

export async function listMembers(api: Requester, appId: string): Promise<Member[]> {
  return listOf<Member>(await api.request('GET', `${appPath(appId)}/members`), 'members');
}

/**
 * Adds a member. An email without an account becomes an invitation: the answer then carries a
 * one-time code for the person to register with (returned here; null when the member was added).
 */
export async function addMember(api: Requester, appId: string, email: string, role: MemberRole): Promise<string | null> {
  const answer = (await api.request('POST', `${appPath(appId)}/members`, { body: { email, role } })) as {
    invitation_code?: unknown;
  } | null;
  return typeof answer?.invitation_code === 'string' ? answer.invitation_code : null;
}

export async function removeMember(api: Requester, appId: string, userId: string): Promise<void> {
  await api.request('DELETE', `${appPath(appId)}/members/${encodeURIComponent(userId)}`);
}

/** Accepts `{link, click_url, impression_url}` (docs/api.md's created shape) or a link carrying its URLs. */
export function toLinkView(item: unknown): LinkView {
  const link = itemOf<Link>(item, 'link');
  return {
    link,
    click_url: textField(item, 'click_url') ?? textField(link, 'click_url'),
    impression_url: textField(item, 'impression_url') ?? textField(link, 'impression_url'),
  };
}

export async function listLinks(api: Requester, appId: string): Promise<LinkView[]> {
  return listOf<unknown>(await api.request('GET', `${appPath(appId)}/links`), 'links').map(toLinkView);
}

export async function createLink(api: Requester, appId: string, fields: LinkFields): Promise<LinkView> {
  return toLinkView(await api.request('POST', `${appPath(appId)}/links`, { body: fields }));
}

export async function updateLink(api: Requester, appId: string, linkId: string, patch: Partial<LinkFields>): Promise<LinkView> {
  return toLinkView(await api.request('PATCH', `${appPath(appId)}/links/${encodeURIComponent(linkId)}`, { body: patch }));
}

export async function deleteLink(api: Requester, appId: string, linkId: string): Promise<void> {
  await api.request('DELETE', `${appPath(appId)}/links/${encodeURIComponent(linkId)}`);
}

const partnerPath = (appId: string, source: string) => `${appPath(appId)}/partners/${encodeURIComponent(source)}`;

/** Null when no postback is configured for that media source (the API answers 404). */
export async function getPartner(api: Requester, appId: string, source: string): Promise<Partner | null> {
  try {
    return itemOf<Partner>(await api.request('GET', partnerPath(appId, source)), 'partner');
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/** `GET …/partners` is not in docs/api.md; when the API has it, it lists configured sources, else null. */
export async function listPartners(api: Requester, appId: string): Promise<Partner[] | null> {
  try {
    return listOf<Partner>(await api.request('GET', `${appPath(appId)}/partners`), 'partners');
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 405) return null;
    throw error;
  }
}

export type SavedPartner = Pick<components['schemas']['PartnerSaved'], 'partner' | 'unknown_macros'>;

export async function putPartner(
  api: Requester,
  appId: string,
  source: string,
  template: Pick<Partner, 'url' | 'method' | 'events' | 'enabled'>,
): Promise<SavedPartner> {
  const answer = await api.request<Record<string, unknown>>('PUT', partnerPath(appId, source), { body: template });
  const unknown = answer?.['unknown_macros'];
  return { partner: itemOf<Partner>(answer, 'partner'), unknown_macros: Array.isArray(unknown) ? (unknown as string[]) : [] };
}

export async function deletePartner(api: Requester, appId: string, source: string): Promise<void> {
  await api.request('DELETE', partnerPath(appId, source));
}

export interface PostbackLogQuery {
  status?: PostbackStatus;
  media_source?: string;
  limit?: number;
  offset?: number;
}

/** A page of the delivery log, with the counts by status (for the chosen network) and the networks present. */
export type PostbackLogPage = Pick<components['schemas']['PostbackLog'], 'postbacks' | 'counts' | 'total' | 'media_sources'>;

export async function listPostbacks(api: Requester, appId: string, q: PostbackLogQuery = {}): Promise<PostbackLogPage> {
  const query = {
    status: q.status,
    media_source: q.media_source,
    limit: q.limit === undefined ? undefined : String(q.limit),
    offset: q.offset === undefined ? undefined : String(q.offset),
  };
  const answer = await api.request<Partial<PostbackLogPage>>('GET', `${appPath(appId)}/postbacks`, { query });
  const postbacks = listOf<Postback>(answer, 'postbacks');
  return {
    postbacks,
    counts: answer.counts ?? { pending: 0, delivered: 0, failed: 0 },
    total: answer.total ?? postbacks.length,
    media_sources: answer.media_sources ?? [],
  };
}

/** "Retry now": a failed postback becomes pending and due at once (managers). */
export async function retryPostback(api: Requester, appId: string, postbackId: string): Promise<void> {
  await api.request('POST', `${appPath(appId)}/postbacks/${encodeURIComponent(postbackId)}/retry`);
}

/** Posts the pasted text as is: `application/json` for a JSON array, `text/csv` otherwise. */
export async function importCosts(api: Requester, appId: string, text: string, format: 'json' | 'csv'): Promise<unknown> {
  return api.request('POST', `${appPath(appId)}/costs`, {
    rawBody: text,
    contentType: format === 'json' ? 'application/json' : 'text/csv',
  });
}

/** One imported (date, media_source, campaign) of ad spend, its current value. */
export type ImportedCost = components['schemas']['Cost'];

export async function listCosts(
  api: Requester,
  appId: string,
  filter: { from?: string; to?: string; media_source?: string } = {},
): Promise<ImportedCost[]> {
  const query = { from: filter.from || undefined, to: filter.to || undefined, media_source: filter.media_source || undefined };
  return listOf<ImportedCost>(await api.request('GET', `${appPath(appId)}/costs`, { query }), 'costs');
}

/** A new value for one day, source and campaign: importing the row again replaces it. */
export async function saveCost(api: Requester, appId: string, row: ImportedCost): Promise<void> {
  await importCosts(api, appId, JSON.stringify([row]), 'json');
}

export async function deleteCost(
  api: Requester,
  appId: string,
  row: Pick<ImportedCost, 'date' | 'media_source' | 'campaign'>,
): Promise<void> {
  const key = { date: row.date, media_source: row.media_source, campaign: row.campaign };
  await api.request('DELETE', `${appPath(appId)}/costs`, { body: { rows: [key] } });
}
