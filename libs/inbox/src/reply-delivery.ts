import { isPluginError } from '@tongfa/plugin-sdk';
import { PluginCallError } from '@tongfa/plugins';
import type { ReplyState } from './entities';
import { InboxPlatformPort } from './platform-port';

const MIN = 60_000;
/** After this many attempts a reply is failed and the editor is told; each platform call is one attempt. */
export const MAX_REPLY_ATTEMPTS = 6;

/** Where a reply goes: a message conversation, or under a comment of a post. */
export interface ReplyTarget {
  kind: 'comment' | 'message';
  accountId: string;
  conversationId: string | null;
  postRemoteId: string | null;
  inReplyTo: string | null;
}

/**
 * One delivery attempt. When an earlier attempt may have reached the platform (`mayHaveLanded`:
 * the row was left `sending` by an ambiguous failure or a crash), the platform is asked first and
 * a found reply is the delivery; only a definite "not there" leads to a second call. The
 * idempotency key travels with every call so the platform (or the plugin's lookup) can match it.
 */
export async function deliverOnce(
  port: InboxPlatformPort,
  to: ReplyTarget,
  reply: { text: string; idempotencyKey: string },
  mayHaveLanded: boolean,
): Promise<{ id: string }> {
  if (mayHaveLanded) {
    const found =
      to.kind === 'message'
        ? await port.findMessage(to.accountId, { conversationId: to.conversationId!, idempotencyKey: reply.idempotencyKey })
        : await port.findReply(to.accountId, to.postRemoteId!, to.inReplyTo!, reply.idempotencyKey);
    if (found) return found;
  }
  return to.kind === 'message'
    ? port.sendMessage(to.accountId, { conversationId: to.conversationId!, text: reply.text, idempotencyKey: reply.idempotencyKey })
    : port.replyComment(to.accountId, to.postRemoteId!, to.inReplyTo!, reply.text, reply.idempotencyKey);
}

/** Back-off between attempts: 1, 2, 4, 8, 16 minutes. */
export function replyBackoff(attempt: number): number {
  return Math.min(16, 2 ** Math.max(0, attempt - 1)) * MIN;
}

/**
 * The row after a failed attempt. Transient and rate-limited failures did not reach the platform:
 * back to `pending`. An ambiguous one may have: stay `sending`, so the next attempt asks first.
 * The platform's refusals (window passed, content, authorisation) and the last attempt are final.
 */
export function afterFailure(
  e: unknown,
  attempt: number,
  now: number,
): { state: ReplyState; nextAttemptAt: Date | null; lastError: string } {
  // The plugin host reports failures as PluginCallError (typed, secrets removed); a plugin's own error
  // only reaches here from unit specs. Anything else did not come from the platform: retried.
  const typed =
    e instanceof PluginCallError
      ? { kind: e.kind, message: e.message, platformCode: e.extra.platformCode, retryAfterMs: e.retryAfterMs }
      : isPluginError(e)
        ? e
        : null;
  const kind = typed ? typed.kind : 'transient';
  const lastError = (typed ? `${typed.message}${typed.platformCode !== undefined ? ` [${typed.platformCode}]` : ''}` : String(e)).slice(
    0,
    1000,
  );
  const final = ['permanent', 'content_invalid', 'auth_expired', 'rejected_by_review'].includes(kind) || attempt >= MAX_REPLY_ATTEMPTS;
  if (final) return { state: 'failed', nextAttemptAt: null, lastError };
  const retryAfter = typed?.retryAfterMs ?? 0;
  return {
    state: kind === 'ambiguous' ? 'sending' : 'pending',
    nextAttemptAt: new Date(now + Math.max(replyBackoff(attempt), retryAfter)),
    lastError,
  };
}
