import { describe, expect, it } from 'vitest';
import { EXPORT_SPECS, EXPORT_TABLES, exportColumns, exportParams, exportSql } from '../src/events/table-export.ts';

describe('raw-data export statements', () => {
  it('bind the app, the range and the guard; no value is ever in the SQL text', () => {
    const params = exportParams("app_'; DROP TABLE events --", { from: 1, to: 2 }, { format: 'csv', csvFormulaGuard: '^[=]' });
    expect(params).toEqual({ app: "app_'; DROP TABLE events --", from: 1, to: 2, guard: '^[=]' });
    for (const table of EXPORT_TABLES) {
      for (const format of ['parquet', 'csv', 'ndjson'] as const) {
        const sql = exportSql(table, format);
        expect(sql).toContain('WHERE app_id = {app:String} AND');
        expect(sql).toContain('{from:Int64}');
        expect(sql).toContain('{to:Int64}');
        expect(sql).toContain(`ORDER BY ${EXPORT_SPECS[table].order}`);
        expect(sql).not.toMatch(/\bip\b|user_agent|install_referrer|\bparams\b/);
      }
    }
    expect(exportParams('a', { from: 1, to: 2 }, { format: 'parquet' })).not.toHaveProperty('guard');
  });

  it('guards only CSV text cells: numbers, booleans and times stay values', () => {
    const csv = exportSql('installs', 'csv');
    expect(csv).toContain(
      "if(match(toString(campaign), {guard:String}), concat('''', toString(campaign)), toString(campaign)) AS campaign",
    );
    expect(csv).toContain('ctit_seconds AS ctit_seconds');
    expect(csv).toContain('installed_at AS installed_at');
    expect(exportSql('installs', 'parquet')).not.toContain('{guard:String}');
  });

  it('names the same columns in every format, the installs export row for installs', () => {
    expect(exportColumns('installs')).toEqual([
      'install_id',
      'device_id',
      'advertising_id',
      'installed_at',
      'status',
      'match_type',
      'media_source',
      'campaign',
      'ad_set',
      'ad',
      'site_id',
      'link_id',
      'click_id',
      'network_click_id',
      'touch_at',
      'ctit_seconds',
      'fraud_reason',
      'is_reattribution',
    ]);
    expect(exportColumns('impressions')[0]).toBe('impression_id');
  });
});
