import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_EVENT_CLASSES, auditResource } from '../../src/security/audit-actions.ts';

describe('audit actions', () => {
  const actions = Object.values(AUDIT_ACTIONS);

  it('are unique, stable-looking area.verb names', () => {
    expect(new Set(actions).size).toBe(actions.length);
    for (const a of actions) expect(a).toMatch(/^[a-z][a-z_]*\.[a-z_]+$/);
  });

  it('cover every event class docs/api.md §4 requires, each with at least one action', () => {
    const required = [
      'sign-in',
      'failed sign-in',
      'token refusal',
      'authorization refusal',
      'role change',
      'key rotation',
      'member change',
      'link change',
      'partner change',
      'erase request',
      'admin action',
    ];
    for (const eventClass of required) expect(AUDIT_EVENT_CLASSES).toHaveProperty([eventClass]);
    for (const list of Object.values(AUDIT_EVENT_CLASSES)) expect(list.length).toBeGreaterThan(0);
  });

  it('put every action in some class, so none is written without a reason to exist', () => {
    const classified = new Set(Object.values(AUDIT_EVENT_CLASSES).flat());
    expect(actions.filter((a) => !classified.has(a))).toEqual([]);
  });

  it('name resources kind:id', () => {
    expect(auditResource('app', 'app_x')).toBe('app:app_x');
  });
});
