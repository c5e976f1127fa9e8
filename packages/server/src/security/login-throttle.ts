import { type RateDecision, RateLimiter } from './rate-limiter.ts';

/**
 * Brute-force brakes for sign-in (API.md §4, ASVS V6.3): failed attempts are counted per
 * account and per IP; once either reaches the limit, further attempts get 429 — from any IP for
 * that account, and for any account from that IP. Checked before the password is, so a locked
 * account costs no hashing. A good sign-in clears the account's count (not the IP's).
 */
export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per window (default 10). */
  maxFailures?: number;
  /** Default 15 minutes. */
  windowSeconds?: number;
  now?: () => number;
}

export interface LoginAttempt {
  ip: string;
  /** As typed; compared case-insensitively like the accounts are. */
  email: string;
}

export class LoginThrottle {
  private readonly byAccount: RateLimiter;
  private readonly byIp: RateLimiter;

  constructor(options: LoginThrottleOptions = {}) {
    const limit = options.maxFailures ?? 10;
    const windowSeconds = options.windowSeconds ?? 15 * 60;
    this.byAccount = new RateLimiter({ limit, windowSeconds, now: options.now });
    this.byIp = new RateLimiter({ limit, windowSeconds, now: options.now });
  }

  /** Whether this attempt may be tried at all; when not, the longer of the two waits. */
  check(attempt: LoginAttempt): RateDecision {
    const account = this.byAccount.check(accountKey(attempt.email));
    const ip = this.byIp.check(attempt.ip);
    if (account.allowed && ip.allowed) return { allowed: true, retryAfterSeconds: 0, remaining: Math.min(account.remaining, ip.remaining) };
    return { allowed: false, retryAfterSeconds: Math.max(account.retryAfterSeconds, ip.retryAfterSeconds), remaining: 0 };
  }

  /**
   * Checks and counts the attempt as a failure in one synchronous step, BEFORE the slow password
   * check: otherwise a burst of concurrent guesses all pass the check while the first are still
   * hashing (a probe got 264 of 300 evaluated). A good password then gives the attempt back.
   */
  reserve(attempt: LoginAttempt): RateDecision {
    const decision = this.check(attempt);
    if (!decision.allowed) return decision;
    this.byAccount.hit(accountKey(attempt.email));
    this.byIp.hit(attempt.ip);
    return decision;
  }

  /** A reserved attempt succeeded: the account's count is cleared, the IP's reservation returned. */
  recordSuccess(attempt: LoginAttempt): void {
    this.byAccount.reset(accountKey(attempt.email));
    this.byIp.unhit(attempt.ip);
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
