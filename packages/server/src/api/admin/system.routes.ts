import type { FastifyInstance } from 'fastify';
import { unavailable } from '../../http/app-error.ts';
import { SYSTEM_STATUS } from '../answers/account-answers.ts';
import type { ApiDeps } from '../api-deps.ts';

/**
 * `GET /api/admin/system` (admins): the System screen's data — readiness of each dependency,
 * pipeline lag, the last hour of ingest traffic, the postback queue, free disk, the audit chain.
 * Read-only and cheap (the sampler has the answers), so it is not itself written to the trail.
 */
export async function adminSystemRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get('/api/admin/system', { config: { policy: 'canAdmin' }, schema: { response: { 200: SYSTEM_STATUS } } }, async () => {
    const status = deps.ops?.systemStatus;
    if (!status) throw unavailable('system_status_unavailable', 'This process does not collect system status; ask the API role.', 5);
    return status();
  });
}
