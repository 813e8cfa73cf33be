import { isPluginError } from '@tongfa/plugin-sdk';
import { PluginCallError } from '@tongfa/plugins';
import type { ReplyState } from './entities';
import { InboxPlatformPort } from './platform-port';

const MIN = 60_000;
/** After this many attempts a reply is failed (or unconfirmed) and the editor is told; each platform call is one attempt. */
export const MAX_REPLY_ATTEMPTS = 6;

/** Where a reply goes: a message conversation, or under a comment of a post. */
export interface ReplyTarget {
  kind: 'comment' | 'message';
  accountId: string;
  conversationId: string | null;
  postRemoteId: string | null;
  inReplyTo: string | null;
}

/** What one attempt learnt before it failed: whether the platform said the earlier call did not land. */
export interface DeliveryProgress {
  lookedUp: boolean;
}

/**
 * One delivery attempt. When an earlier attempt may have reached the platform (`mayHaveLanded`:
 * the row was left `sending` by an ambiguous failure or a crash), the platform is asked first and
 * a found reply is the delivery; only a definite "not there" (recorded in `progress`) leads to a
 * second call. The idempotency key travels with every call so the platform (or the plugin's lookup)
 * can match it.
 */
export async function deliverOnce(
  port: InboxPlatformPort,
  to: ReplyTarget,
  reply: { text: string; idempotencyKey: string },
  mayHaveLanded: boolean,
  progress: DeliveryProgress = { lookedUp: false },
): Promise<{ id: string }> {
  if (mayHaveLanded) {
    const found =
      to.kind === 'message'
        ? await port.findMessage(to.accountId, { conversationId: to.conversationId!, idempotencyKey: reply.idempotencyKey })
        : await port.findReply(to.accountId, to.postRemoteId!, to.inReplyTo!, reply.idempotencyKey);
    if (found) return found;
    progress.lookedUp = true;
  }
  return to.kind === 'message'
    ? port.sendMessage(to.accountId, { conversationId: to.conversationId!, text: reply.text, idempotencyKey: reply.idempotencyKey })
    : port.replyComment(to.accountId, to.postRemoteId!, to.inReplyTo!, reply.text, reply.idempotencyKey);
}

/** Back-off between attempts: 1, 2, 4, 8, 16 times the base (a minute unless configured). */
export function replyBackoff(attempt: number, baseMs = MIN): number {
  return Math.min(16, 2 ** Math.max(0, attempt - 1)) * baseMs;
}

export interface FailureContext {
  /** The attempt began on a row that may already have reached the platform (it was `sending`). */
  mayHaveLanded?: boolean;
  /** What the attempt learnt before failing (the lookup answered "not there"). */
  progress?: DeliveryProgress;
  /** Whether the plugin can look a sent reply up at all (findReply/findMessage). Default: yes. */
  canLookUp?: boolean;
  /** First back-off; doubles per attempt (default one minute). */
  retryBaseMs?: number;
}

/**
 * The row after a failed attempt. Transient and rate-limited failures did not reach the platform:
 * back to `pending`. An ambiguous one may have: stay `sending`, so the next attempt asks first; so
 * does an attempt on a `sending` row whose lookup itself failed (it learnt nothing, and a blind
 * second send could duplicate). A reply that may have landed never ends `failed` (an editor would
 * write it again): when the platform cannot be asked, or the attempts are used up, it ends
 * `unconfirmed` and a person checks the platform. The platform's refusals of a reply that surely did
 * not land (window passed, content, authorisation) and the last attempt are `failed`.
 */
export function afterFailure(
  e: unknown,
  attempt: number,
  now: number,
  ctx: FailureContext = {},
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
  const refusal = ['permanent', 'content_invalid', 'auth_expired', 'rejected_by_review'].includes(kind);
  const mayHaveLanded = kind === 'ambiguous' || (!!ctx.mayHaveLanded && !ctx.progress?.lookedUp);
  if (mayHaveLanded && (ctx.canLookUp === false || refusal || attempt >= MAX_REPLY_ATTEMPTS)) {
    return { state: 'unconfirmed', nextAttemptAt: null, lastError };
  }
  if (!mayHaveLanded && (refusal || attempt >= MAX_REPLY_ATTEMPTS)) return { state: 'failed', nextAttemptAt: null, lastError };
  const retryAfter = typed?.retryAfterMs ?? 0;
  return {
    state: mayHaveLanded ? 'sending' : 'pending',
    nextAttemptAt: new Date(now + Math.max(replyBackoff(attempt, ctx.retryBaseMs), retryAfter)),
    lastError,
  };
}
