import { itemOf, listOf, num } from './answers.ts';
import type { Requester } from './client.ts';
import type { AuditEntry, AuditFilter, AuditVerify, GlobalRole, SystemStatus, User } from './types.ts';

export async function listUsers(api: Requester): Promise<User[]> {
  return listOf<User>(await api.request('GET', '/api/admin/users'), 'users');
}

export async function patchUser(api: Requester, userId: string, patch: { role?: GlobalRole; disabled?: boolean }): Promise<User> {
  return itemOf<User>(await api.request('PATCH', `/api/admin/users/${encodeURIComponent(userId)}`, { body: patch }), 'user');
}

export async function listAudit(api: Requester, filter: AuditFilter): Promise<AuditEntry[]> {
  const answer = await api.request('GET', '/api/admin/audit', { query: { ...filter } });
  const entries = listOf<AuditEntry>(answer, 'entries');
  return entries.length > 0 ? entries : listOf<AuditEntry>(answer, 'audit');
}

export async function verifyAudit(api: Requester): Promise<AuditVerify> {
  const answer = await api.request<Record<string, unknown>>('GET', '/api/admin/audit/verify');
  const firstBad = answer?.['first_bad_id'];
  return {
    ok: answer?.['ok'] === true,
    entries: num(answer?.['entries']),
    first_bad_id: typeof firstBad === 'string' || typeof firstBad === 'number' ? String(firstBad) : null,
  };
}

/** The System screen's data: readiness, lag, the last hour of ingest, postbacks, disk, audit chain. */
export async function systemStatus(api: Requester): Promise<SystemStatus> {
  return (await api.request<SystemStatus>('GET', '/api/admin/system')) as SystemStatus;
}
