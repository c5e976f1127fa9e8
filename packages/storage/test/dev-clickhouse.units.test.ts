import { describe, expect, it } from 'vitest';
import { placeholderTypes, toBindValues, tsvUnescape } from '../src/events/dev-clickhouse/bound-params.ts';
import { parseClickHouseRequest, parseInsertStatement, splitFormat } from '../src/events/dev-clickhouse/http-request.ts';
import { StandInError } from '../src/events/dev-clickhouse/stand-in-error.ts';

describe('dev-clickhouse: parameters as the client sends them → values for chDB', () => {
  it('reads placeholder types, nested parentheses included', () => {
    expect(placeholderTypes('SELECT {a:String}, { b : Array(Tuple(String, Int64)) }, {c:Map(String, Array(UInt8))}')).toEqual(
      new Map([
        ['a', 'String'],
        ['b', 'Array(Tuple(String, Int64))'],
        ['c', 'Map(String, Array(UInt8))'],
      ]),
    );
  });

  it('unescapes like ClickHouse: \\n-style escapes, \\xHH, and \\c for any other c', () => {
    expect(tsvUnescape("a\\'b\\\\c\\td\\ne\\x41\\q")).toBe("a'b\\c\td\neAq");
  });

  it('passes values escaping leaves alone, unescapes scalars, parses composites, maps \\N to null only when Nullable', () => {
    const sql = 'SELECT {s:String}, {n:Nullable(String)}, {m:String}, {arr:Array(String)}, {i:Int64}, {plain:Array(String)}';
    expect(
      toBindValues(sql, { s: "it\\'s", n: '\\N', m: '\\N', arr: "['a\\'b','c\\\\d',NULL]", i: '-12', plain: "['x']", unused: '1' }),
    ).toEqual({ s: "it's", n: null, m: 'N', arr: ["a'b", 'c\\d', null], i: '-12', plain: "['x']" });
  });

  it('refuses a composite it cannot read with a ClickHouse error, not a crash', () => {
    const attempt = () => toBindValues('SELECT {a:Array(String)}', { a: "['unterminated\\'" });
    expect(attempt).toThrow(StandInError);
    expect(attempt).toThrow(/cannot be parsed as Array\(String\) for query parameter 'a'/);
  });
});

describe('dev-clickhouse: requests and statements', () => {
  it('splits the query string into parameters, settings and HTTP options', () => {
    const search = new URLSearchParams(
      'query_id=q1&database=db1&param_x=1&max_threads=2&enable_http_compression=1&http_zlib_compression_level=3',
    );
    expect(parseClickHouseRequest(search, Buffer.from('SELECT {x:UInt8}'), () => 'new')).toEqual({
      sql: 'SELECT {x:UInt8}',
      data: undefined,
      queryId: 'q1',
      database: 'db1',
      defaultFormat: undefined,
      params: { x: '1' },
      settings: { max_threads: '2' },
      compressAnswer: true,
    });
  });

  it('takes the body as data when the query parameter is an INSERT', () => {
    const search = new URLSearchParams({ query: 'INSERT INTO t FORMAT JSONEachRow' });
    const r = parseClickHouseRequest(search, Buffer.from('{"a":1}\n'), () => 'id');
    expect(r.sql).toBe('INSERT INTO t FORMAT JSONEachRow');
    expect(r.data?.toString()).toBe('{"a":1}\n');
  });

  it('parses INSERT … FORMAT with columns and settings, and refuses what chDB cannot take raw', () => {
    expect(parseInsertStatement("INSERT INTO db.`t` (a, `b`) SETTINGS x = 1, y = 'z' FORMAT jsoncompacteachrow")).toEqual({
      table: 'db.t',
      columns: ['a', 'b'],
      settings: { x: '1', y: 'z' },
      format: 'JSONCompactEachRow',
    });
    expect(() => parseInsertStatement('INSERT INTO t FORMAT Native')).toThrow(/cannot insert FORMAT Native/);
    expect(() => parseInsertStatement('INSERT INTO t SELECT 1')).toThrow(StandInError);
  });

  it('splits off a trailing FORMAT clause', () => {
    expect(splitFormat('SELECT 1\nFORMAT JSONEachRow')).toEqual({ sql: 'SELECT 1', format: 'JSONEachRow' });
    expect(splitFormat('SELECT 1;')).toEqual({ sql: 'SELECT 1', format: undefined });
  });
});
