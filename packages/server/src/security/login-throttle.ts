import { type RateDecision, RateLimiter, type WindowRateLimit } from './rate-limiter.ts';

/**
 * Brute-force brakes for sign-in (docs/api.md §4, ASVS V6.3): failed attempts are counted per
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
  /** Where the counts live (default: this process's memory); `name` is 'account' or 'ip'. */
  limiter?: (name: 'account' | 'ip', limit: number, windowSeconds: number) => WindowRateLimit;
}

export interface LoginAttempt {
  ip: string;
  /** As typed; compared case-insensitively like the accounts are. */
  email: string;
}

export class LoginThrottle {
  private readonly byAccount: WindowRateLimit;
  private readonly byIp: WindowRateLimit;

  constructor(options: LoginThrottleOptions = {}) {
    const limit = options.maxFailures ?? 10;
    const windowSeconds = options.windowSeconds ?? 15 * 60;
    const make = options.limiter ?? ((_name, l, w) => new RateLimiter({ limit: l, windowSeconds: w, now: options.now }));
    this.byAccount = make('account', limit, windowSeconds);
    this.byIp = make('ip', limit, windowSeconds);
  }

  /** Whether this attempt may be tried at all; when not, the longer of the two waits. */
  async check(attempt: LoginAttempt): Promise<RateDecision> {
    const [account, ip] = await Promise.all([this.byAccount.check(accountKey(attempt.email)), this.byIp.check(attempt.ip)]);
    if (account.allowed && ip.allowed) return { allowed: true, retryAfterSeconds: 0, remaining: Math.min(account.remaining, ip.remaining) };
    return { allowed: false, retryAfterSeconds: Math.max(account.retryAfterSeconds, ip.retryAfterSeconds), remaining: 0 };
  }

  /**
   * Checks and counts the attempt in one step per counter, BEFORE the slow password check:
   * otherwise a burst of concurrent guesses all pass a check while the first are still hashing
   * (a probe got 264 of 300 evaluated). Each counter's hit is atomic (in Redis too), so at most
   * `maxFailures` attempts of a burst get through. A good password then gives the attempt back.
   */
  async reserve(attempt: LoginAttempt): Promise<RateDecision> {
    const key = accountKey(attempt.email);
    const account = await this.byAccount.hit(key);
    if (!account.allowed) return account;
    const ip = await this.byIp.hit(attempt.ip);
    if (!ip.allowed) {
      await this.byAccount.unhit(key);
      return ip;
    }
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.min(account.remaining, ip.remaining) };
  }

  /** A reserved attempt succeeded: the account's count is cleared, the IP's reservation returned. */
  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await Promise.all([this.byAccount.reset(accountKey(attempt.email)), this.byIp.unhit(attempt.ip)]);
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}
