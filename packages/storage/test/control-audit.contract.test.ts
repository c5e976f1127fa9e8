import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditInput,
  appendAudit,
  appendAuditTx,
  canonicalJson,
  GENESIS_HASH,
  listAudit,
  type SqlTx,
  verifyAudit,
} from '../src/index.ts';
import { type ControlTarget, forEachControlAdapter, type OpenControlTarget } from './support/control-targets.ts';

const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const entry = (over: Partial<AuditInput> = {}): AuditInput => ({
  user_id: 'usr_a',
  action: 'auth.login',
  resource: 'user:usr_a',
  success: true,
  ip: '198.51.100.7',
  user_agent: 'Mozilla/5.0',
  details: { method: 'password' },
  ...over,
});

/** Changes rows the way someone with owner rights on the database could: past the append-only triggers. */
async function tamper(t: ControlTarget, sql: string, params: unknown[]): Promise<void> {
  await t.db.transaction(async (tx: SqlTx) => {
    await tx.exec('alter table audit_log disable trigger user');
    await tx.query(sql, params);
    await tx.exec('alter table audit_log enable trigger user');
  });
}

function auditContract(name: string, open: OpenControlTarget): void {
  describe(`audit contract: ${name}`, () => {
    let t: ControlTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('verifies an empty trail', async () => {
      expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 0 });
    });

    it('appends entries linked by sha256(prev_hash ‖ canonical entry)', async () => {
      const first = await appendAudit(t.db, entry());
      const second = await appendAudit(
        t.db,
        entry({ user_id: null, action: 'auth.login_failed', success: false, details: { b: 1, a: [true, null] } }),
      );
      expect(first).toMatchObject({ id: expect.stringMatching(/^\d+$/), at: expect.stringMatching(ISO_MS_UTC), prev_hash: GENESIS_HASH });
      expect(second.prev_hash).toBe(first.hash);
      expect(BigInt(second.id)).toBeGreaterThan(BigInt(first.id));
      const { prev_hash, hash, ...body } = second;
      expect(hash).toBe(
        createHash('sha256')
          .update(prev_hash + canonicalJson(body))
          .digest('hex'),
      );
      expect(await listAudit(t.db, { limit: 2 })).toEqual([second, first]);
      expect(await verifyAudit(t.db)).toEqual({ ok: true, entries: 2, last_hash: second.hash });
    });

    it('keeps one chain when appends race from two connections', async () => {
      await Promise.all(
        Array.from({ length: 16 }, (_, i) => appendAudit(i % 2 ? t.db : t.second, entry({ action: 'race', details: { i } }))),
      );
      const result = await verifyAudit(t.db);
      expect(result).toMatchObject({ ok: true, entries: 18 });
      const raced = await listAudit(t.db, { action: 'race', limit: 100 });
      expect(raced.map((e) => e.details.i).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(16).keys()]);
    });

    it('stores odd text so that it reads back exactly as hashed', async () => {
      const odd = await appendAudit(
        t.db,
        entry({
          user_agent: `evil\u0000agent \ud800 ${'x'.repeat(600)}`,
          details: {
            'z\u0000': 'é 日本 🚀',
            nested: { when: new Date('2024-01-02T03:04:05.678Z'), n: 0.1, skip: undefined },
            list: [1, 'two'],
          },
        }),
      );
      expect(odd.user_agent).toHaveLength(512);
      expect(odd.user_agent).not.toContain('\u0000');
      expect(odd.details).toEqual({ z: 'é 日本 🚀', nested: { when: '2024-01-02T03:04:05.678Z', n: 0.1 }, list: [1, 'two'] });
      const [stored] = await listAudit(t.db, { limit: 1 });
      expect(stored).toEqual(odd);
      expect((await verifyAudit(t.db)).ok).toBe(true);
      const big = await appendAudit(t.db, entry({ details: { blob: 'x'.repeat(20_000) } }));
      expect(big.details).toEqual({ truncated: true, size: expect.any(Number) });
    });

    it('rolls an entry back with the transaction it belongs to', async () => {
      const before = (await verifyAudit(t.db)).entries;
      await expect(
        t.db.transaction(async (tx) => {
          await appendAuditTx(tx, entry({ action: 'rolled.back' }));
          throw new Error('change failed');
        }),
      ).rejects.toThrow('change failed');
      expect(await listAudit(t.db, { action: 'rolled.back' })).toEqual([]);
      await appendAudit(t.db, entry({ action: 'after.rollback' }));
      expect(await verifyAudit(t.db)).toMatchObject({ ok: true, entries: before + 1 });
    });

    it('filters by user, action, time range, limit and page', async () => {
      const start = new Date(Date.now() - 1000);
      const mine = [];
      for (let i = 0; i < 5; i++)
        mine.push(await appendAudit(t.db, entry({ user_id: 'usr_filter', action: i % 2 ? 'app.update' : 'app.create' })));
      expect((await listAudit(t.db, { user_id: 'usr_filter' })).map((e) => e.id)).toEqual(mine.map((e) => e.id).reverse());
      expect((await listAudit(t.db, { user_id: 'usr_filter', action: 'app.update' })).map((e) => e.id)).toEqual([mine[3]!.id, mine[1]!.id]);
      expect(await listAudit(t.db, { user_id: 'usr_filter', limit: 2 })).toEqual([mine[4], mine[3]]);
      expect(await listAudit(t.db, { user_id: 'usr_filter', limit: 2, before_id: mine[3]!.id })).toEqual([mine[2], mine[1]]);
      expect((await listAudit(t.db, { user_id: 'usr_filter', from: start })).length).toBe(5);
      expect(await listAudit(t.db, { user_id: 'usr_filter', to: start })).toEqual([]);
      expect(await listAudit(t.db, { user_id: 'usr_filter', from: mine[4]!.at, to: new Date(Date.parse(mine[4]!.at) + 1) })).toContainEqual(
        mine[4],
      );
      expect(await listAudit(t.db, { user_id: 'nobody' })).toEqual([]);
      await expect(listAudit(t.db, { from: 'not a date' })).rejects.toThrow(RangeError);
      await expect(listAudit(t.db, { before_id: '1; drop table audit_log' })).rejects.toThrow(RangeError);
    });

    it('refuses UPDATE, DELETE and TRUNCATE on the trail', async () => {
      const [last] = await listAudit(t.db, { limit: 1 });
      for (const sql of ['update audit_log set success = false where id = $1', 'delete from audit_log where id = $1']) {
        await expect(t.db.query(sql, [last!.id])).rejects.toMatchObject({ message: expect.stringMatching(/append-only/), code: '42501' });
      }
      await expect(t.db.query('truncate audit_log')).rejects.toThrow(/append-only/);
      expect(await listAudit(t.db, { limit: 1 })).toEqual([last]);
    });

    // Last: they break the chain on purpose.
    it('names the entry whose row was edited directly, and holds again once it is restored', async () => {
      const rows = await listAudit(t.db, { limit: 1000 });
      const victim = rows[Math.floor(rows.length / 2)]!;
      await tamper(t, `update audit_log set details = '{"method":"forged"}'::jsonb, user_id = 'usr_other' where id = $1`, [victim.id]);
      expect(await verifyAudit(t.db)).toMatchObject({
        ok: false,
        entries: rows.length,
        first_bad_id: victim.id,
        first_bad_reason: 'hash_mismatch',
      });
      await tamper(t, 'update audit_log set details = $2::jsonb, user_id = $3 where id = $1', [
        victim.id,
        JSON.stringify(victim.details),
        victim.user_id,
      ]);
      expect(await verifyAudit(t.db)).toMatchObject({ ok: true, entries: rows.length });
    });

    it('names the entry after a row that was deleted', async () => {
      const rows = await listAudit(t.db, { limit: 1000 });
      const gone = rows[3]!;
      const next = rows[2]!;
      await tamper(t, 'delete from audit_log where id = $1', [gone.id]);
      expect(await verifyAudit(t.db)).toEqual({
        ok: false,
        entries: rows.length - 1,
        first_bad_id: next.id,
        first_bad_reason: 'broken_link',
        last_hash: rows[0]!.hash,
      });
    });
  });
}

await forEachControlAdapter(auditContract);
