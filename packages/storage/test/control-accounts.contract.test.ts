import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createAppWithManager,
  createUser,
  deleteApp,
  endSessions,
  findAccountByEmail,
  getAccountById,
  getMemberRole,
  getUser,
  issueRefreshToken,
  listAppIdsOfUser,
  listMembers,
  listUsers,
  MemberInputError,
  removeMember,
  revokeAllRefreshTokens,
  revokeRefreshFamily,
  rotateRefreshToken,
  setMemberRole,
  setPasswordHash,
  UserInputError,
  updateUser,
} from '../src/index.ts';
import { type ControlTarget, forEachControlAdapter, type OpenControlTarget } from './support/control-targets.ts';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const token = () => randomBytes(32).toString('base64url');
const issue = (ttl = 3600) => ({ token: token(), expires_in_seconds: ttl, ip: '203.0.113.9', user_agent: 'test-agent' });
let seq = 0;
const email = (tag: string) => `${tag}.${++seq}.${randomBytes(3).toString('hex')}@example.com`;

function accountsContract(name: string, open: OpenControlTarget): void {
  describe(`accounts contract: ${name}`, () => {
    let t: ControlTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });
    const user = (tag = 'u') => createUser(t.db, { email: email(tag), name: `User ${tag}`, password_hash: HASH });

    // First: it needs an empty store.
    it('makes exactly one admin when the first registrations race', async () => {
      const created = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          createUser(i % 2 ? t.db : t.second, { email: email('race'), name: 'Racer', password_hash: HASH }),
        ),
      );
      expect(created.filter((u) => u.role === 'admin')).toHaveLength(1);
      expect(created.filter((u) => u.role === 'user')).toHaveLength(7);
      const later = await user('later');
      expect(later.role).toBe('user');
      await expect(
        createUser(t.db, { email: email('closed'), name: 'X', password_hash: HASH }, { onlyIfFirst: true }),
      ).rejects.toMatchObject({
        code: 'registration_closed',
      });
    });

    it('creates a user in the API shape and keeps the password hash out of it', async () => {
      const addr = email('Shape').toUpperCase();
      const created = await createUser(t.db, { email: `  ${addr} `, name: '  Ann Ö  ', password_hash: HASH });
      expect(created).toEqual({
        id: expect.stringMatching(/^usr_[0-9A-Za-z]{16}$/),
        email: addr.toLowerCase(),
        name: 'Ann Ö',
        role: 'user',
        disabled: false,
        created_at: expect.stringMatching(ISO_MS_UTC),
      });
      expect(await getUser(t.db, created.id)).toEqual(created);
      expect(await findAccountByEmail(t.db, addr)).toEqual({ user: created, password_hash: HASH, session_epoch: 0 });
      expect(await findAccountByEmail(t.db, 'nobody@example.com')).toBeNull();
      expect(await findAccountByEmail(t.db, 'not an email')).toBeNull();
      expect(await getUser(t.db, 'usr_unknown')).toBeNull();
    });

    it('treats emails as case-insensitive: one account per address, even when racing', async () => {
      const addr = email('dup');
      await createUser(t.db, { email: addr, name: 'A', password_hash: HASH });
      await expect(createUser(t.db, { email: addr.toUpperCase(), name: 'B', password_hash: HASH })).rejects.toMatchObject({
        code: 'email_taken',
      });
      const racing = email('dup-race');
      const results = await Promise.allSettled(
        [t.db, t.second, t.db].map((db, i) => createUser(db, { email: i ? racing.toUpperCase() : racing, name: 'R', password_hash: HASH })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'email_taken' });
    });

    it('refuses malformed input and anything but an argon2id hash', async () => {
      await expect(createUser(t.db, { email: 'no-at-sign', name: 'x', password_hash: HASH })).rejects.toBeInstanceOf(UserInputError);
      await expect(createUser(t.db, { email: email('n'), name: ' ', password_hash: HASH })).rejects.toMatchObject({ field: 'name' });
      await expect(createUser(t.db, { email: email('p'), name: 'x', password_hash: 'hunter2hunter2' })).rejects.toThrow(/check constraint/);
    });

    it('lists users oldest first, in pages', async () => {
      const all = await listUsers(t.db, { limit: 1000 });
      expect(all.length).toBeGreaterThan(5);
      const first = await listUsers(t.db, { limit: 3 });
      const next = await listUsers(t.db, { limit: 3, after: first[2]!.id });
      expect([...first, ...next]).toEqual(all.slice(0, 6));
      for (const u of all) expect(Object.keys(u).sort()).toEqual(['created_at', 'disabled', 'email', 'id', 'name', 'role']);
    });

    it('changes role and disabled, and never leaves the store without an enabled admin', async () => {
      const [admin] = (await listUsers(t.db, { limit: 1000 })).filter((u) => u.role === 'admin');
      const other = await user('promote');
      expect(await updateUser(t.db, other.id, { role: 'admin' })).toMatchObject({ id: other.id, role: 'admin', disabled: false });
      expect(await updateUser(t.db, admin!.id, { disabled: true })).toMatchObject({ disabled: true });
      await expect(updateUser(t.db, other.id, { role: 'user' })).rejects.toMatchObject({ code: 'last_admin' });
      await expect(updateUser(t.db, other.id, { disabled: true })).rejects.toMatchObject({ code: 'last_admin' });
      expect(await updateUser(t.db, admin!.id, { disabled: false })).toMatchObject({ disabled: false, role: 'admin' });
      expect(await updateUser(t.db, other.id, { role: 'user' })).toMatchObject({ role: 'user' });
      await expect(updateUser(t.db, other.id, { role: 'root' as 'admin' })).rejects.toMatchObject({ field: 'role' });
      await expect(updateUser(t.db, other.id, { disabled: 'yes' as unknown as boolean })).rejects.toMatchObject({ field: 'disabled' });
      expect(await updateUser(t.db, 'usr_unknown', { disabled: true })).toBeNull();
    });

    it('ends every session when a user is disabled', async () => {
      const u = await user('disable');
      const a = issue();
      const b = issue();
      await issueRefreshToken(t.db, u.id, a);
      await issueRefreshToken(t.db, u.id, b);
      await updateUser(t.db, u.id, { disabled: true });
      expect((await getAccountById(t.db, u.id))?.session_epoch).toBe(1);
      expect(await rotateRefreshToken(t.db, a.token, issue())).toMatchObject({ status: 'revoked' });
      expect(await rotateRefreshToken(t.db, b.token, issue())).toMatchObject({ status: 'revoked' });
      await updateUser(t.db, u.id, { disabled: true });
      expect((await getAccountById(t.db, u.id))?.session_epoch).toBe(1);
    });

    it('rotates refresh tokens within a family and stores only their SHA-256', async () => {
      const u = await user('rotate');
      const first = issue();
      const issued = await issueRefreshToken(t.db, u.id, first);
      expect(issued).toEqual({
        id: expect.stringMatching(/^rtk_/),
        user_id: u.id,
        family_id: expect.stringMatching(/^fam_/),
        expires_at: expect.stringMatching(ISO_MS_UTC),
      });
      expect(Date.parse(issued.expires_at) - Date.now()).toBeGreaterThan(3500_000);
      const second = issue();
      const rotated = await rotateRefreshToken(t.db, first.token, second);
      expect(rotated).toMatchObject({
        status: 'rotated',
        user_id: u.id,
        family_id: issued.family_id,
        token: { family_id: issued.family_id },
      });
      const rows = await t.db.query<{ dump: string; token_hash: string }>(
        'select row_to_json(r)::text as dump, token_hash from refresh_tokens r where user_id = $1',
        [u.id],
      );
      expect(rows.map((r) => r.token_hash).sort()).toEqual(
        [first.token, second.token].map((x) => createHash('sha256').update(x).digest('hex')).sort(),
      );
      for (const r of rows) for (const secret of [first.token, second.token]) expect(r.dump).not.toContain(secret);
      expect(await rotateRefreshToken(t.db, second.token, issue())).toMatchObject({ status: 'rotated' });
    });

    it('revokes the whole family when a rotated token is presented again', async () => {
      const u = await user('reuse');
      const stolen = issue();
      const issued = await issueRefreshToken(t.db, u.id, stolen);
      const other = issue();
      await issueRefreshToken(t.db, u.id, other);
      const legit = issue();
      await rotateRefreshToken(t.db, stolen.token, legit);
      expect(await rotateRefreshToken(t.db, stolen.token, issue())).toEqual({
        status: 'reused',
        user_id: u.id,
        family_id: issued.family_id,
      });
      expect(await rotateRefreshToken(t.db, legit.token, issue())).toMatchObject({ status: 'revoked', family_id: issued.family_id });
      expect(await rotateRefreshToken(t.db, other.token, issue())).toMatchObject({ status: 'rotated' });
    });

    it('lets only one of two concurrent uses of a token win; the other counts as reuse', async () => {
      const u = await user('concurrent');
      const presented = issue();
      await issueRefreshToken(t.db, u.id, presented);
      const outcomes = await Promise.all([t.db, t.second].map((db) => rotateRefreshToken(db, presented.token, issue())));
      expect(outcomes.map((o) => o.status).sort()).toEqual(['reused', 'rotated']);
      const live = await t.db.query('select id from refresh_tokens where user_id = $1 and revoked_at is null', [u.id]);
      expect(live).toEqual([]);
    });

    it('refuses unknown and expired tokens, and revokes by family or by user', async () => {
      expect(await rotateRefreshToken(t.db, token(), issue())).toEqual({ status: 'unknown' });
      const u = await user('expiry');
      const old = issue(0);
      await issueRefreshToken(t.db, u.id, old);
      expect(await rotateRefreshToken(t.db, old.token, issue())).toMatchObject({ status: 'expired', user_id: u.id });
      const phone = issue();
      const laptop = issue();
      await issueRefreshToken(t.db, u.id, phone);
      await issueRefreshToken(t.db, u.id, laptop);
      expect(await revokeRefreshFamily(t.db, phone.token)).toBe(true);
      expect(await revokeRefreshFamily(t.db, token())).toBe(false);
      expect(await rotateRefreshToken(t.db, phone.token, issue())).toMatchObject({ status: 'revoked' });
      const next = issue();
      expect(await rotateRefreshToken(t.db, laptop.token, next)).toMatchObject({ status: 'rotated' });
      expect(await revokeAllRefreshTokens(t.db, u.id)).toBeGreaterThanOrEqual(1);
      expect(await rotateRefreshToken(t.db, next.token, issue())).toMatchObject({ status: 'revoked' });
    });

    it('ends sessions on logout: tokens revoked and the session epoch bumped', async () => {
      const u = await user('logout');
      const rt = issue();
      await issueRefreshToken(t.db, u.id, rt);
      expect(await endSessions(t.db, u.id)).toBe(true);
      expect((await getAccountById(t.db, u.id))?.session_epoch).toBe(1);
      expect(await rotateRefreshToken(t.db, rt.token, issue())).toMatchObject({ status: 'revoked' });
      expect(await endSessions(t.db, 'usr_unknown')).toBe(false);
      expect(await setPasswordHash(t.db, u.id, `${HASH}x`)).toBe(true);
      expect((await getAccountById(t.db, u.id))?.password_hash).toBe(`${HASH}x`);
    });

    it('creates an app with its manager and manages members', async () => {
      const [owner, analyst, outsider] = [await user('owner'), await user('analyst'), await user('outsider')];
      const { app, server_key } = await createAppWithManager(t.db, owner.id, { name: 'Members', platforms: ['ios'] });
      expect(server_key).toMatch(/^srv_/);
      expect(await getMemberRole(t.db, app.id, owner.id)).toBe('manager');
      expect(await addMember(t.db, app.id, analyst.id, 'analyst')).toEqual({
        app_id: app.id,
        user_id: analyst.id,
        role: 'analyst',
        created_at: expect.stringMatching(ISO_MS_UTC),
      });
      await expect(addMember(t.db, app.id, analyst.id, 'manager')).rejects.toMatchObject({ code: 'already_member' });
      await expect(addMember(t.db, app.id, outsider.id, 'owner' as 'manager')).rejects.toBeInstanceOf(MemberInputError);
      expect(await addMember(t.db, app.id, 'usr_unknown', 'analyst')).toBeNull();
      expect(await addMember(t.db, 'app_unknown', outsider.id, 'analyst')).toBeNull();
      expect(await getMemberRole(t.db, app.id, outsider.id)).toBeNull();
      expect(await listAppIdsOfUser(t.db, analyst.id)).toEqual([app.id]);
      expect((await listMembers(t.db, app.id)).map((m) => [m.email, m.role])).toEqual([
        [owner.email, 'manager'],
        [analyst.email, 'analyst'],
      ]);
      expect(await setMemberRole(t.db, app.id, analyst.id, 'manager')).toMatchObject({ role: 'manager' });
      expect(await setMemberRole(t.db, app.id, outsider.id, 'manager')).toBeNull();
      expect(await removeMember(t.db, app.id, owner.id)).toBe(true);
      await expect(removeMember(t.db, app.id, analyst.id)).rejects.toMatchObject({ code: 'last_manager' });
      await expect(setMemberRole(t.db, app.id, analyst.id, 'analyst')).rejects.toMatchObject({ code: 'last_manager' });
      expect(await removeMember(t.db, app.id, owner.id)).toBe(false);
      expect(await getMemberRole(t.db, app.id, owner.id)).toBeNull();
    });

    it('keeps one manager when two managers demote each other at once', async () => {
      const [a, b] = [await user('ma'), await user('mb')];
      const { app } = await createAppWithManager(t.db, a.id, { name: 'Demote race', platforms: ['android'] });
      await addMember(t.db, app.id, b.id, 'manager');
      const results = await Promise.allSettled([
        setMemberRole(t.db, app.id, a.id, 'analyst'),
        setMemberRole(t.second, app.id, b.id, 'analyst'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await listMembers(t.db, app.id)).filter((m) => m.role === 'manager')).toHaveLength(1);
    });

    it('forgets memberships of a deleted app', async () => {
      const u = await user('deleted');
      const { app } = await createAppWithManager(t.db, u.id, { name: 'Gone', platforms: ['web'] });
      await deleteApp(t.db, app.id);
      expect(await getMemberRole(t.db, app.id, u.id)).toBeNull();
      expect(await listAppIdsOfUser(t.db, u.id)).toEqual([]);
      expect(await listMembers(t.db, app.id)).toEqual([]);
      expect(await addMember(t.db, app.id, u.id, 'analyst')).toBeNull();
    });
  });
}

await forEachControlAdapter(accountsContract);
