import { createLink, deleteLink, getLink, type LinkPatch, listLinks, type NewLinkInput, updateLink } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../http/app-error.ts';
import { AUDIT_ACTIONS, auditResource } from '../../security/audit-actions.ts';
import { NO_CONTENT } from '../answers/answer-schema.ts';
import { LINK_VIEW, LINKS_LIST } from '../answers/app-answers.ts';
import type { ApiDeps } from '../api-deps.ts';
import { appParams } from '../body-schemas.ts';
import { linkCreateBody, linkParams, linkPatchBody } from './link-schemas.ts';
import { linkView } from './link-view.ts';

type AppRoute = { Params: { app_id: string } };
type LinkRoute = { Params: { app_id: string; link_id: string } };

const LINK_NOT_FOUND = 'No such link in this app. Check the link id (it starts with lnk_).';

/**
 * `/api/apps/:app_id/links` (docs/api.md §4): members read, managers write (the gate's policies).
 * Every answer carries the ad URLs. A change or deletion is dropped at once from the click
 * route's link cache (`onLinkChanged`), so a disabled link stops redirecting on the next click
 * in this process rather than after the cache's TTL.
 */
export async function linksRoutes(app: FastifyInstance, deps: ApiDeps) {
  const view = linkView.bind(null, deps.config.publicIngestUrl);
  const changed = (linkId: string) => deps.onLinkChanged?.(linkId);

  app.get<AppRoute>(
    '/api/apps/:app_id/links',
    { config: { policy: 'canReadApp' }, schema: { params: appParams, response: { 200: LINKS_LIST } } },
    async (req) => ({
      links: (await listLinks(deps.control, req.params.app_id)).map(view),
    }),
  );

  app.post<AppRoute & { Body: NewLinkInput }>(
    '/api/apps/:app_id/links',
    { config: { policy: 'canManageApp' }, schema: { params: appParams, body: linkCreateBody, response: { 201: LINK_VIEW } } },
    async (req, reply) => {
      const link = await req.audited(
        AUDIT_ACTIONS.linkCreate,
        (db) => createLink(db, req.params.app_id, req.body),
        (made) =>
          made && {
            resource: auditResource('link', made.id),
            details: { app_id: made.app_id, name: made.name, media_source: made.media_source, campaign: made.campaign },
          },
      );
      if (!link) throw notFound();
      return reply.code(201).send(view(link));
    },
  );

  app.get<LinkRoute>(
    '/api/apps/:app_id/links/:link_id',
    { config: { policy: 'canReadApp' }, schema: { params: linkParams, response: { 200: LINK_VIEW } } },
    async (req) => {
      const link = await getLink(deps.control, req.params.app_id, req.params.link_id);
      if (!link) throw notFound(LINK_NOT_FOUND);
      return view(link);
    },
  );

  app.patch<LinkRoute & { Body: LinkPatch }>(
    '/api/apps/:app_id/links/:link_id',
    { config: { policy: 'canManageApp' }, schema: { params: linkParams, body: linkPatchBody, response: { 200: LINK_VIEW } } },
    async (req) => {
      const link = await req.audited(
        AUDIT_ACTIONS.linkUpdate,
        (db) => updateLink(db, req.params.app_id, req.params.link_id, req.body),
        (updated) =>
          updated && {
            resource: auditResource('link', updated.id),
            details: {
              app_id: updated.app_id,
              fields: Object.keys(req.body),
              ...(req.body.enabled !== undefined ? { enabled: updated.enabled } : {}),
            },
          },
      );
      if (!link) throw notFound(LINK_NOT_FOUND);
      changed(link.id);
      return view(link);
    },
  );

  app.delete<LinkRoute>(
    '/api/apps/:app_id/links/:link_id',
    { config: { policy: 'canManageApp' }, schema: { params: linkParams, response: { 204: NO_CONTENT } } },
    async (req, reply) => {
      const { app_id, link_id } = req.params;
      const deleted = await req.audited(
        AUDIT_ACTIONS.linkDelete,
        (db) => deleteLink(db, app_id, link_id),
        (ok) => (ok ? { resource: auditResource('link', link_id), details: { app_id } } : null),
      );
      if (!deleted) throw notFound(LINK_NOT_FOUND);
      changed(link_id);
      return reply.code(204).send();
    },
  );
}
