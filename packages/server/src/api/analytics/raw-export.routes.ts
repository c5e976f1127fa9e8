import { Readable } from 'node:stream';
import type { EventStore } from '@unmogrowp/storage';
import type { FastifyInstance } from 'fastify';
import { appParams } from '../body-schemas.ts';
import { analyticsRange } from './analytics-query.ts';
import { FORMULA_START } from './csv-cells.ts';
import {
  EXPORT_CONTENT_TYPES,
  exportFileName,
  parseExportTable,
  parseRawExportFormat,
  RAW_EXPORT_ANSWER,
  RAW_EXPORT_QUERY,
} from './raw-export.ts';

type RawExportRoute = { Params: { app_id: string }; Querystring: { table?: string; format?: string; from?: string; to?: string } };

/**
 * `GET /api/analytics/:app_id/export?table&format&from&to` (docs/api.md §4 "Raw data export"):
 * one table's rows of the app over the range, as the engine writes them (Parquet, CSV or
 * NDJSON), streamed to the client as they come; who may read it is the analytics routes' rule
 * (`canReadAnalytics`, the app's server key included). The store answers once its first chunk is
 * there, so a failing query still gets an error status; a failure later cuts the download short
 * (an incomplete Parquet file has no footer and is refused by any reader). CSV text cells get
 * the spreadsheet formula guard of csv-cells.ts.
 */
export async function rawExportRoutes(app: FastifyInstance, deps: { events: EventStore }) {
  app.get<RawExportRoute>(
    '/api/analytics/:app_id/export',
    {
      config: { policy: 'canReadAnalytics' },
      schema: { params: appParams, querystring: RAW_EXPORT_QUERY, response: { 200: RAW_EXPORT_ANSWER } },
    },
    async (req, reply) => {
      const range = analyticsRange(req.query);
      const table = parseExportTable(req.query.table);
      const format = parseRawExportFormat(req.query.format);
      const stream = await deps.events.exportTable(req.params.app_id, table, range, { format, csvFormulaGuard: FORMULA_START.source });
      const name = exportFileName(table, req.params.app_id, range, format);
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Readable.from(stream, { objectMode: false }));
    },
  );
}
