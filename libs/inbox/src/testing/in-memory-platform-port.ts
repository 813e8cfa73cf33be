import { AmbiguousError, PermanentError, TransientError } from '@tongfa/plugin-sdk';
import { InboxPlatformPort, InteractionManifest, PostComment, WebhookVerdict } from '../platform-port';

type Fault = 'ambiguous-landed' | 'ambiguous-lost' | 'transient' | 'window-passed';

/**
 * An in-memory stand-in for the plugins, for unit specs of the inbox's pure logic ONLY (delivery
 * decisions). End-to-end tests go through the sandbox simulators once the SDK capabilities exist.
 * It records every delivery, so a spec can assert a reply reached the platform exactly once.
 */
export class InMemoryInboxPlatformPort extends InboxPlatformPort {
  readonly delivered: { key: string; text: string; to: string; id: string }[] = [];
  readonly calls: string[] = [];
  private readonly faults: Fault[] = [];
  private readonly lookupFaults: Fault[] = [];
  private seq = 0;
  /** Set to false to play a platform that offers no way to look a sent message up (WeChat's 客服消息). */
  lookUps = true;

  /** The next send calls fail this way, in order. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** The next lookups (findReply/findMessage) fail this way, in order. */
  failNextLookup(...faults: Fault[]): void {
    this.lookupFaults.push(...faults);
  }

  canLookUp(): boolean {
    return this.lookUps;
  }

  interaction(): InteractionManifest {
    return {
      comments: { dailyCallsPerAccount: 100, maxPageSize: 50, canHide: false, canDelete: false, replyMaxChars: 600 },
      messages: { replyWindowHours: 48, replyMaxChars: 600 },
    };
  }

  resolveAccount(): Promise<string | null> {
    return Promise.resolve(null);
  }

  fetchComments(): Promise<{ items: PostComment[] }> {
    return Promise.resolve({ items: [] });
  }

  replyComment(accountId: string, postRemoteId: string, commentId: string, text: string, key: string): Promise<{ id: string }> {
    this.calls.push('replyComment');
    return this.deliver(`${accountId}/${postRemoteId}/${commentId}`, text, key);
  }

  sendMessage(accountId: string, p: { conversationId: string; text: string; idempotencyKey: string }): Promise<{ id: string }> {
    this.calls.push('sendMessage');
    return this.deliver(`${accountId}/${p.conversationId}`, p.text, p.idempotencyKey);
  }

  findReply(_a: string, _p: string, _c: string, key: string): Promise<{ id: string } | null> {
    this.calls.push('findReply');
    return this.lookup(key);
  }

  findMessage(_a: string, p: { idempotencyKey: string }): Promise<{ id: string } | null> {
    this.calls.push('findMessage');
    return this.lookup(p.idempotencyKey);
  }

  fetchAccountComments(): Promise<{ items: Array<PostComment & { postRemoteId: string }> }> {
    return Promise.resolve({ items: [] });
  }

  listPosts(): Promise<{ posts: [] }> {
    return Promise.resolve({ posts: [] });
  }

  moderateComment(): Promise<void> {
    this.calls.push('moderateComment');
    return Promise.resolve();
  }

  handleWebhook(): Promise<WebhookVerdict> {
    return Promise.resolve({ kind: 'rejected', reason: 'in-memory port', response: { status: 403, body: 'forbidden' } });
  }

  private async lookup(key: string): Promise<{ id: string } | null> {
    const fault = this.lookupFaults.shift();
    if (fault === 'transient') throw new TransientError();
    if (fault) throw new AmbiguousError();
    const d = this.delivered.find((x) => x.key === key);
    return d ? { id: d.id } : null;
  }

  private async deliver(to: string, text: string, key: string): Promise<{ id: string }> {
    const fault = this.faults.shift();
    if (fault === 'transient') throw new TransientError();
    if (fault === 'window-passed')
      throw new PermanentError({ zh: '已超过客服消息回复时限', en: 'reply window passed', platformCode: 45015 });
    if (fault === 'ambiguous-lost') throw new AmbiguousError();
    const id = `r${++this.seq}`;
    this.delivered.push({ key, text, to, id });
    if (fault === 'ambiguous-landed') throw new AmbiguousError();
    return { id };
  }
}
