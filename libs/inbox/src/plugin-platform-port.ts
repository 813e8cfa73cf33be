import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Account, AccountStatus } from '@tongfa/accounts';
import { CredentialStore, PluginHost, PluginRegistry } from '@tongfa/plugins';
import { InboxPlatformPort, InteractionManifest, ListedAccountPost, PostComment, WebhookRequest, WebhookVerdict } from './platform-port';

/** How long a map of pushed account ids read from the sealed credentials is trusted. */
const PUSH_ID_TTL_MS = 60_000;
/** A miss rebuilds the map, but not more often than this (a flood of pushes for strangers costs nothing). */
const PUSH_ID_REBUILD_MS = 10_000;

/**
 * The inbox's port over the plugin host: each call runs with the account's credentials, rate limits,
 * deadlines and re-authorisation like any other plugin call; pushes are verified with the hub's app
 * credentials. Errors are the host's PluginCallError (typed kinds the reply outbox decides on).
 */
@Injectable()
export class PluginInboxPlatformPort extends InboxPlatformPort {
  private readonly pushIds = new Map<string, { at: number; map: Map<string, string> }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly host: PluginHost,
    private readonly registry: PluginRegistry,
    private readonly credentials: CredentialStore,
  ) {
    super();
  }

  interaction(platform: string): InteractionManifest | undefined {
    const m = this.registry.get(platform)?.manifest;
    if (!m?.interaction) return undefined;
    const c = m.capabilities.includes('comments') ? m.interaction.comments : undefined;
    const msg = m.capabilities.includes('messages') ? m.interaction.messages : undefined;
    if (!c && !msg) return undefined;
    const listing = m.capabilities.includes('listPosts') ? m.postListing : undefined;
    return {
      rateLimits: m.rateLimits,
      ...(listing ? { postListing: { dailyCallsPerAccount: listing.dailyCallsPerAccount, maxPageSize: listing.maxPageSize } } : {}),
      ...(c
        ? {
            comments: {
              dailyCallsPerAccount: c.dailyCallsPerAccount,
              maxPageSize: c.maxPageSize,
              canHide: c.canHide,
              canDelete: c.canDelete,
              replyMaxChars: c.replyMaxChars,
              ...(c.accountComments && typeof this.registry.get(platform)?.plugin.fetchAccountComments === 'function'
                ? { accountComments: true }
                : {}),
            },
          }
        : {}),
      ...(msg ? { messages: { replyWindowHours: msg.replyWindowHours, replyMaxChars: msg.replyMaxChars } } : {}),
    };
  }

  fetchComments(
    accountId: string,
    postRemoteId: string,
    params?: { cursor?: string; since?: number; limit?: number },
  ): Promise<{ items: PostComment[]; nextCursor?: string }> {
    return this.host.fetchComments(accountId, postRemoteId, params);
  }

  fetchAccountComments(
    accountId: string,
    params: { after?: string; cursor?: string; since?: number; limit?: number },
  ): Promise<{ items: Array<PostComment & { postRemoteId: string }>; nextCursor?: string; mark?: string }> {
    return this.host.fetchAccountComments(accountId, params);
  }

  replyComment(accountId: string, postRemoteId: string, commentId: string, text: string, idempotencyKey: string): Promise<{ id: string }> {
    return this.host.replyComment(accountId, postRemoteId, commentId, text, idempotencyKey);
  }

  findReply(accountId: string, postRemoteId: string, commentId: string, idempotencyKey: string): Promise<{ id: string } | null> {
    return this.host.findReply(accountId, postRemoteId, commentId, idempotencyKey);
  }

  async listPosts(accountId: string, params: { since?: number; limit?: number }): Promise<{ posts: ListedAccountPost[] }> {
    const page = await this.host.listPosts(accountId, params);
    return { posts: page.posts.map((p) => ({ remoteId: p.remoteId, url: p.url, publishedAt: p.publishedAt })) };
  }

  moderateComment(accountId: string, postRemoteId: string, commentId: string, action: 'hide' | 'delete'): Promise<void> {
    return this.host.moderateComment(accountId, postRemoteId, commentId, action);
  }

  sendMessage(accountId: string, params: { conversationId: string; text: string; idempotencyKey: string }): Promise<{ id: string }> {
    return this.host.sendMessage(accountId, params);
  }

  findMessage(accountId: string, params: { conversationId: string; idempotencyKey: string }): Promise<{ id: string } | null> {
    return this.host.findMessage(accountId, params);
  }

  canLookUp(platform: string, kind: 'comment' | 'message'): boolean {
    const p = this.registry.get(platform)?.plugin;
    return kind === 'message' ? typeof p?.findMessage === 'function' : typeof p?.findReply === 'function';
  }

  handleWebhook(platform: string, req: WebhookRequest): Promise<WebhookVerdict> {
    return this.host.handleWebhook(platform, req);
  }

  /**
   * Our account a push names. Pushes name it as the platform profile does (`platformAccountId`), or,
   * where the manifest says so (`interaction.messages.accountCredential`, e.g. WeChat's 原始ID gh_…),
   * by one of the account's credential fields: those are sealed, so the map is read from the vault
   * once a minute (and on a miss, at most every 10 s), never per push.
   */
  async resolveAccount(platform: string, pushedId: string): Promise<string | null> {
    const direct = await this.ds.getRepository(Account).findOne({ where: { platform, platformAccountId: pushedId }, select: { id: true } });
    return direct ? direct.id : this.byCredential(platform, pushedId);
  }

  /** resolveAccount for the ids of pushes arriving together: the profile ids in one query, then the credential map. */
  override async resolveAccounts(platform: string, pushedIds: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const ids = [...new Set(pushedIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.ds.getRepository(Account).find({
        where: { platform, platformAccountId: In(ids.slice(i, i + 500)) },
        select: { id: true, platformAccountId: true },
      });
      for (const r of rows) if (r.platformAccountId) out.set(r.platformAccountId, r.id);
    }
    for (const id of ids) if (!out.has(id)) out.set(id, await this.byCredential(platform, id));
    return out;
  }

  /** Our account whose credential field (manifest `interaction.messages.accountCredential`) holds the pushed id. */
  private async byCredential(platform: string, pushedId: string): Promise<string | null> {
    const field = this.registry.get(platform)?.manifest.interaction?.messages?.accountCredential;
    if (!field) return null;
    const now = Date.now();
    let cached = this.pushIds.get(platform);
    const stale = !cached || now - cached.at > PUSH_ID_TTL_MS;
    const missRebuild = cached && !cached.map.has(pushedId) && now - cached.at > PUSH_ID_REBUILD_MS;
    if (stale || missRebuild) {
      const map = new Map<string, string>();
      const accounts = await this.ds.getRepository(Account).find({
        where: { platform, status: In([AccountStatus.Opened, AccountStatus.Active, AccountStatus.Suspended]) },
        select: { id: true },
      });
      for (const a of accounts) {
        const opened = await this.credentials.open(a.id);
        const value = opened?.credentials[field];
        if (value) map.set(value, a.id);
      }
      cached = { at: now, map };
      this.pushIds.set(platform, cached);
    }
    return cached!.map.get(pushedId) ?? null;
  }
}
