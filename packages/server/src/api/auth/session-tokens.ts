import { issueRefreshToken, type SqlDb, type UserAccount } from '@unmogrowp/storage';
import type { FastifyRequest } from 'fastify';
import type { SigningKeys } from '../../security/signing-keys.ts';
import { newRefreshToken, REFRESH_TOKEN_TTL_SECONDS, signAccessToken } from '../../security/tokens.ts';
import { userView } from '../views.ts';

export interface SessionAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_at: string;
  user: ReturnType<typeof userView>;
}

/** A new sign-in: a fresh refresh-token family and an access token carrying the account's session epoch. */
export async function startSession(db: SqlDb, signing: SigningKeys, account: UserAccount, req: FastifyRequest): Promise<SessionAnswer> {
  const refresh = newRefreshToken();
  const issued = await issueRefreshToken(db, account.user.id, {
    token: refresh,
    expires_in_seconds: REFRESH_TOKEN_TTL_SECONDS,
    ip: req.ip,
    user_agent: req.headers['user-agent'] ?? null,
  });
  return answer(signing, account, refresh, issued.expires_at);
}

/** The same answer for a rotated refresh token (its family continues). */
export async function answer(
  signing: SigningKeys,
  account: UserAccount,
  refreshToken: string,
  refreshExpiresAt: string,
): Promise<SessionAnswer> {
  const access = await signAccessToken(signing, { userId: account.user.id, sessionEpoch: account.session_epoch });
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expires_in,
    refresh_token: refreshToken,
    refresh_expires_at: refreshExpiresAt,
    user: userView(account.user),
  };
}
