import { StandInError } from './stand-in-error.ts';

/**
 * One HTTP request to the ClickHouse interface, taken apart the way a server does: the
 * statement is the `query` parameter and/or the body (for `INSERT … FORMAT …` in `query`, the
 * body is the data), `param_<name>` are bound parameters, a few names are HTTP options, and
 * every other query-string parameter is a setting for this statement only.
 */
export interface ClickHouseRequest {
  /** The statement text (without the data of an insert). */
  sql: string;
  /** The body of an insert whose statement came in the `query` parameter; else undefined. */
  data: Buffer | undefined;
  queryId: string;
  database: string;
  defaultFormat: string | undefined;
  params: Record<string, string>;
  settings: Record<string, string>;
  /** `enable_http_compression=1`: the answer may be compressed as Accept-Encoding allows. */
  compressAnswer: boolean;
}

/** Query-string names that are not settings: HTTP options, credentials, sessions. */
const HTTP_OPTIONS = new Set([
  'query',
  'query_id',
  'database',
  'default_format',
  'user',
  'password',
  'quota_key',
  'session_id',
  'session_timeout',
  'session_check',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
  'role',
  'stacktrace',
  'client_protocol_version',
  'enable_http_compression',
  'send_progress_in_http_headers',
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseClickHouseRequest(search: URLSearchParams, body: Buffer, newQueryId: () => string): ClickHouseRequest {
  const params: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key.startsWith('param_')) {
      params[key.slice('param_'.length)] = value;
    } else if (!HTTP_OPTIONS.has(key) && !key.startsWith('http_')) {
      if (!NAME.test(key)) throw new StandInError(115, 'UNKNOWN_SETTING', `Unknown setting '${key}'`);
      settings[key] = value;
    }
  }
  const fromUrl = search.get('query') ?? '';
  const database = search.get('database') || 'default';
  if (!NAME.test(database)) throw new StandInError(81, 'UNKNOWN_DATABASE', `Database ${database} does not exist`, 404);
  let sql: string;
  let data: Buffer | undefined;
  if (fromUrl !== '' && body.length > 0 && /^\s*INSERT\b/i.test(fromUrl)) {
    sql = fromUrl;
    data = body;
  } else {
    sql = fromUrl === '' ? body.toString('utf8') : body.length > 0 ? `${fromUrl}\n${body.toString('utf8')}` : fromUrl;
  }
  if (sql.trim() === '') throw new StandInError(62, 'SYNTAX_ERROR', 'Empty query');
  return {
    sql,
    data,
    queryId: search.get('query_id') || newQueryId(),
    database,
    defaultFormat: search.get('default_format') || undefined,
    params,
    settings,
    compressAnswer: search.get('enable_http_compression') === '1',
  };
}

/** Statements that answer rows and only read: they run on a reader session. */
export function isReadStatement(sql: string): boolean {
  return /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN|\()/i.test(stripLeadingComments(sql));
}

/**
 * `SET` and `USE` have no lasting effect over HTTP without a session; the stand-in must not
 * let them stick to one of its engine sessions either.
 */
export function isSessionStatement(sql: string): boolean {
  return /^(SET|USE)\s/i.test(stripLeadingComments(sql));
}

function stripLeadingComments(sql: string): string {
  let s = sql.trimStart();
  for (;;) {
    if (s.startsWith('--')) s = s.slice(s.indexOf('\n') === -1 ? s.length : s.indexOf('\n') + 1).trimStart();
    else if (s.startsWith('/*')) s = s.slice(s.indexOf('*/') === -1 ? s.length : s.indexOf('*/') + 2).trimStart();
    else return s;
  }
}

/** A trailing `FORMAT Name` (what the official client appends), split off so the answer names its format. */
export function splitFormat(sql: string): { sql: string; format: string | undefined } {
  const m = /\s+FORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*;?\s*$/i.exec(sql);
  if (!m) return { sql: sql.trim().replace(/;\s*$/, ''), format: undefined };
  return { sql: sql.slice(0, m.index), format: m[1] };
}

export interface InsertStatement {
  table: string;
  columns: string[] | undefined;
  settings: Record<string, string>;
  format: string;
}

/** Formats chDB takes as raw insert bytes. */
const INSERT_FORMATS = new Map(
  ['JSONEachRow', 'JSONCompactEachRow', 'CSV', 'CSVWithNames', 'TSV', 'TabSeparated', 'TSVWithNames', 'TabSeparatedWithNames'].map((f) => [
    f.toLowerCase(),
    f,
  ]),
);

/** `INSERT INTO [db.]table [(a, b)] [SETTINGS k = v, …] FORMAT Name`. */
export function parseInsertStatement(sql: string): InsertStatement {
  const m =
    /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?([`"]?[A-Za-z0-9_]+[`"]?(?:\.[`"]?[A-Za-z0-9_]+[`"]?)?)\s*(?:\(([^()]*)\))?\s*(?:SETTINGS\s+(.*?)\s*)?FORMAT\s+([A-Za-z][A-Za-z0-9_]*)\s*$/is.exec(
      sql,
    );
  if (!m) {
    throw new StandInError(
      62,
      'SYNTAX_ERROR',
      'The stand-in takes inserts with data as INSERT INTO table [(columns)] [SETTINGS …] FORMAT Name, the data in the body',
    );
  }
  const format = INSERT_FORMATS.get((m[4] as string).toLowerCase());
  if (!format)
    throw new StandInError(
      73,
      'UNKNOWN_FORMAT',
      `The stand-in cannot insert FORMAT ${m[4]}; it takes ${[...INSERT_FORMATS.values()].join(', ')}`,
    );
  const unquote = (s: string) => s.trim().replace(/^[`"]|[`"]$/g, '');
  const columns = m[2]?.split(',').map(unquote);
  if (columns?.some((c) => !NAME.test(c))) throw new StandInError(62, 'SYNTAX_ERROR', `Cannot read the column list (${m[2]})`);
  return { table: (m[1] as string).split('.').map(unquote).join('.'), columns, settings: parseSettingsList(m[3] ?? ''), format };
}

/** `k = 1, s = 'text'` → {k: '1', s: 'text'}. */
function parseSettingsList(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^'\\]|\\.)*'|[^,\s]+)\s*(,|$)/gy;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    const value = m[2] as string;
    settings[m[1] as string] = value.startsWith("'") ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    consumed = (m.index ?? 0) + m[0].length;
  }
  if (consumed !== text.length) throw new StandInError(62, 'SYNTAX_ERROR', `Cannot read the SETTINGS clause (${text})`);
  return settings;
}
