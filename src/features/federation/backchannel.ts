// Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a Guichet session ends, the provider sessions
// opened in it end too, in the same transaction, and each relying service that signed in through one is told through
// the outbox, with its retries. The worker asks the provider to sign a fresh logout token at each attempt.
import type { Kysely } from "kysely";
import type { Client, Provider } from "oidc-provider";
import type { DB } from "../../db/schema.js";
import type { LogoutSender } from "../mail/mail.worker.js";
import { type EndedProviderSessions, endProviderSessions } from "./backchannel.queries.js";

export type { EndedProviderSessions };

/**
 * Ends the provider sessions of Guichet sessions that end, in the caller's transaction, and queues the back-channel
 * logouts they leave. Returns how many were queued: the caller wakes the outbox once it has committed.
 */
export function endProviderSessionsOf(
  db: Kysely<DB>,
  which: EndedProviderSessions,
  now: Date,
): Promise<number> {
  return endProviderSessions(db, which, now);
}

/** What oidc-provider's Client does but does not declare: sign a logout token and post it to the service. */
type LoggingOutClient = Client & { backchannelLogout(sub: string, sid: string): Promise<void> };

/** The cause of a failed delivery, for the outbox's last_error and the log: never the token (it is in the body). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/**
 * The outbox's sender of logouts. A client disabled or removed since the session ended has nobody to tell: the row is
 * done. A service that does not answer 200 or 204 in time is tried again later by the outbox.
 */
export function logoutSender(provider: Provider): LogoutSender {
  return async ({ clientId, accountId, sid }) => {
    const client = (await provider.Client.find(clientId)) as LoggingOutClient | undefined;
    if (!client?.backchannelLogoutUri) return;
    try {
      await client.backchannelLogout(accountId, sid);
    } catch (error) {
      throw new Error(reasonOf(error));
    }
  };
}
