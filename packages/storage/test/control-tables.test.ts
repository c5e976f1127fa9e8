import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../src/migrate-data/control-tables.ts';

describe('dependencyOrder (migrate-data copies parents before children)', () => {
  it('puts every table after the tables its foreign keys point at', () => {
    const edges = [
      { child: 'app_keys', parent: 'apps' },
      { child: 'app_members', parent: 'apps' },
      { child: 'app_members', parent: 'users' },
      { child: 'postback_attempts', parent: 'postbacks' },
      { child: 'postbacks', parent: 'apps' },
    ];
    const order = dependencyOrder(['postback_attempts', 'app_members', 'postbacks', 'users', 'app_keys', 'apps'], edges);
    for (const { child, parent } of edges) expect(order.indexOf(parent), `${parent} before ${child}`).toBeLessThan(order.indexOf(child));
    expect(order).toHaveLength(6);
  });

  it('refuses a cycle with the tables named', () => {
    expect(() =>
      dependencyOrder(
        ['a', 'b'],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow(/cycle: a, b/);
  });
});
