import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError, RateLimitedError } from '@tongfa/plugin-sdk';
import { afterFailure, deliverOnce, DeliveryProgress, MAX_REPLY_ATTEMPTS, ReplyTarget } from './reply-delivery';
import { InMemoryInboxPlatformPort } from './testing/in-memory-platform-port';

const NOW = Date.UTC(2026, 11, 7, 2, 0);
const message: ReplyTarget = { kind: 'message', accountId: 'acc', conversationId: 'oCitizen', postRemoteId: null, inReplyTo: null };
const comment: ReplyTarget = { kind: 'comment', accountId: 'acc', conversationId: null, postRemoteId: 'post', inReplyTo: 'c1' };
const reply = { text: '您好，已收到。', idempotencyKey: 'key-1' };

/**
 * Drives one reply through attempts the way the worker does: each attempt after an ambiguous
 * failure is told the previous call may have landed. Returns the final state and attempts made.
 */
async function run(port: InMemoryInboxPlatformPort, to: ReplyTarget): Promise<{ state: string; attempts: number; lastError?: string }> {
  let mayHaveLanded = false;
  for (let attempt = 1; attempt <= MAX_REPLY_ATTEMPTS; attempt++) {
    const progress: DeliveryProgress = { lookedUp: false };
    try {
      await deliverOnce(port, to, reply, mayHaveLanded, progress);
      return { state: 'sent', attempts: attempt };
    } catch (e) {
      const next = afterFailure(e, attempt, NOW, { mayHaveLanded, progress, canLookUp: port.canLookUp() });
      if (next.state === 'failed' || next.state === 'unconfirmed')
        return { state: next.state, attempts: attempt, lastError: next.lastError };
      mayHaveLanded = next.state === 'sending';
    }
  }
  throw new Error('unreachable');
}

describe('reply delivery', () => {
  it('delivers once when the platform answers', async () => {
    const port = new InMemoryInboxPlatformPort();
    assert.deepEqual(await run(port, message), { state: 'sent', attempts: 1 });
    assert.equal(port.delivered.length, 1);
    assert.deepEqual(port.calls, ['sendMessage']);
  });

  it('after an ambiguous failure that did land, finds the reply instead of sending it again', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('ambiguous-landed');
    assert.deepEqual(await run(port, comment), { state: 'sent', attempts: 2 });
    assert.equal(port.delivered.length, 1);
    assert.deepEqual(port.calls, ['replyComment', 'findReply']);
  });

  it('after an ambiguous failure that did not land, sends again once', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('ambiguous-lost');
    assert.deepEqual(await run(port, message), { state: 'sent', attempts: 2 });
    assert.equal(port.delivered.length, 1);
    assert.deepEqual(port.calls, ['sendMessage', 'findMessage', 'sendMessage']);
  });

  it('retries a transient failure without asking first (it never reached the platform)', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('transient', 'transient');
    assert.deepEqual(await run(port, message), { state: 'sent', attempts: 3 });
    assert.deepEqual(port.calls, ['sendMessage', 'sendMessage', 'sendMessage']);
  });

  it('stops at the platform’s refusal (WeChat 45015: the 48 h window has passed) and keeps its code', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('window-passed');
    const r = await run(port, message);
    assert.equal(r.state, 'failed');
    assert.equal(r.attempts, 1);
    assert.match(r.lastError!, /45015/);
    assert.equal(port.delivered.length, 0);
  });

  it('gives up after the last attempt', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext(...Array<'transient'>(MAX_REPLY_ATTEMPTS).fill('transient'));
    assert.equal((await run(port, message)).state, 'failed');
    assert.equal(port.calls.length, MAX_REPLY_ATTEMPTS);
  });

  it('backs off 1, 2, 4 … minutes and honours a rate limit’s wait', () => {
    const a = afterFailure(new Error('socket hang up'), 1, NOW);
    assert.equal(a.state, 'pending');
    assert.equal(a.nextAttemptAt!.getTime() - NOW, 60_000);
    assert.equal(afterFailure(new Error('x'), 3, NOW).nextAttemptAt!.getTime() - NOW, 4 * 60_000);
    const limited = afterFailure(new RateLimitedError(10 * 60_000), 1, NOW);
    assert.equal(limited.state, 'pending');
    assert.equal(limited.nextAttemptAt!.getTime() - NOW, 10 * 60_000);
  });

  it('keeps asking after a lookup that failed instead of sending blind (the earlier call may have landed)', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('ambiguous-landed');
    port.failNextLookup('transient');
    assert.deepEqual(await run(port, comment), { state: 'sent', attempts: 3 });
    assert.equal(port.delivered.length, 1, 'delivered once');
    assert.deepEqual(port.calls, ['replyComment', 'findReply', 'findReply']);
  });

  it('after a lookup that answered “not there”, a transient failure of the second send goes back to pending', () => {
    const next = afterFailure(new Error('socket hang up'), 2, NOW, { mayHaveLanded: true, progress: { lookedUp: true } });
    assert.equal(next.state, 'pending');
  });

  it('ends unconfirmed, never failed, when the last attempt may have landed', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.failNext('ambiguous-landed');
    port.failNextLookup(...Array<'ambiguous-lost'>(MAX_REPLY_ATTEMPTS).fill('ambiguous-lost'));
    const r = await run(port, message);
    assert.equal(r.state, 'unconfirmed');
    assert.equal(r.attempts, MAX_REPLY_ATTEMPTS);
    assert.equal(port.delivered.length, 1, 'the reply that landed was not sent again');
    assert.equal(port.calls.filter((c) => c === 'sendMessage').length, 1);
  });

  it('ends unconfirmed at once when the platform cannot look a sent message up (no second send)', async () => {
    const port = new InMemoryInboxPlatformPort();
    port.lookUps = false;
    port.failNext('ambiguous-landed');
    const r = await run(port, message);
    assert.equal(r.state, 'unconfirmed');
    assert.equal(r.attempts, 1);
    assert.deepEqual(port.calls, ['sendMessage']);
  });

  it('a refusal of the lookup of a reply that may have landed is unconfirmed, not failed', () => {
    const e = new PermanentError({ zh: '无权限', en: 'no privilege' });
    assert.equal(afterFailure(e, 2, NOW, { mayHaveLanded: true }).state, 'unconfirmed');
    assert.equal(afterFailure(e, 2, NOW, { mayHaveLanded: true, progress: { lookedUp: true } }).state, 'failed');
  });

  it('scales the back-off from a configured base', () => {
    assert.equal(afterFailure(new Error('x'), 2, NOW, { retryBaseMs: 1000 }).nextAttemptAt!.getTime() - NOW, 2000);
  });
});
