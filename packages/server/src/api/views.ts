import type { User } from '@unmogrowp/storage';

/**
 * The user object of docs/api.md (`{id, email, name, role, disabled, created_at}`), picked field by
 * field: whatever the store adds to its rows later (hashes, epochs) never reaches a client.
 */
export function userView(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabled,
    created_at: user.created_at,
  };
}
