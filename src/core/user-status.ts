// An account's standing with respect to sanctions: active, banned, or suspended until a time. Its own file, so that
// the moderation and people services both read it without importing each other.
import type { UserRow } from '../storage/schema.js';

export function userStatus(user: Pick<UserRow, 'banned_at' | 'suspended_until'>, now = Date.now()) {
  if (user.banned_at !== null) return 'banned' as const;
  if (user.suspended_until !== null && user.suspended_until > now) return 'suspended' as const;
  return 'active' as const;
}
