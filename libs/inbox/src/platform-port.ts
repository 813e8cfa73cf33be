// The inbox's view of the plugins: the SDK's `comments` and `messages` shapes, with accounts named by
// our id (the adapter over the plugin host, PluginInboxPlatformPort, builds each call's context).

import type { InboundMessage, PostComment, WebhookRequest, WebhookResponse, WebhookVerdict } from '@tongfa/plugin-sdk';

export type { InboundMessage, PostComment, WebhookRequest, WebhookResponse, WebhookVerdict };

/** What the manifest says of a platform's interaction (`interaction` in the plugin manifest). */
export interface InteractionManifest {
  comments?: {
    dailyCallsPerAccount: number;
    maxPageSize: number;
    canHide: boolean;
    canDelete: boolean;
    replyMaxChars: number;
    /** The plugin reads the comments on all the account's posts in one call: polled per account. */
    accountComments?: boolean;
  };
  messages?: { replyWindowHours: number; replyMaxChars: number };
  /** The manifest's rate limits (the per-app bucket is shared by all the platform's accounts): the poll budget's inputs. */
  rateLimits?: { perApp: { tokens: number; intervalMs: number }; perAccount: { tokens: number; intervalMs: number } };
  /** Present when the plugin lists the account's posts (`listPosts`): its daily list quota and page size. */
  postListing?: { dailyCallsPerAccount: number; maxPageSize: number };
}

/** A post of the account as the platform lists it, made through Tongfa or natively. */
export interface ListedAccountPost {
  remoteId: string;
  url: string;
  publishedAt: number;
}

export abstract class InboxPlatformPort {
  /** The plugin's interaction declaration; undefined when the plugin does not exist or declares none. */
  abstract interaction(platform: string): InteractionManifest | undefined;

  /** One page of a post's comments, newest first (one platform call). */
  abstract fetchComments(
    accountId: string,
    postRemoteId: string,
    params?: { cursor?: string; since?: number; limit?: number },
  ): Promise<{ items: PostComment[]; nextCursor?: string }>;

  /**
   * One page of the comments on all the account's posts, newest first (one platform call), where the
   * plugin declares `accountComments`: `mark` on a read's first page, `after` the last finished read's.
   */
  abstract fetchAccountComments(
    accountId: string,
    params: { after?: string; cursor?: string; since?: number; limit?: number },
  ): Promise<{ items: Array<PostComment & { postRemoteId: string }>; nextCursor?: string; mark?: string }>;

  abstract replyComment(
    accountId: string,
    postRemoteId: string,
    commentId: string,
    text: string,
    idempotencyKey: string,
  ): Promise<{ id: string }>;

  /** One page of the account's recent posts, newest first (one platform call). */
  abstract listPosts(accountId: string, params: { since?: number; limit?: number }): Promise<{ posts: ListedAccountPost[] }>;

  /** Hides or deletes a comment (idempotent: a comment already gone counts as done). */
  abstract moderateComment(accountId: string, postRemoteId: string, commentId: string, action: 'hide' | 'delete'): Promise<void>;

  /** After an ambiguous reply: the reply if it exists, null if it surely does not; throws AmbiguousError if it cannot tell. */
  abstract findReply(accountId: string, postRemoteId: string, commentId: string, idempotencyKey: string): Promise<{ id: string } | null>;

  abstract sendMessage(
    accountId: string,
    params: { conversationId: string; text: string; idempotencyKey: string },
  ): Promise<{ id: string }>;

  abstract findMessage(accountId: string, params: { conversationId: string; idempotencyKey: string }): Promise<{ id: string } | null>;

  /** Whether the platform's plugin can look a sent reply (comment) or message up after an ambiguous send. */
  abstract canLookUp(platform: string, kind: 'comment' | 'message'): boolean;

  /** Our account id for the account a push names (`InboundMessage.platformAccountId`), or null. */
  abstract resolveAccount(platform: string, pushedId: string): Promise<string | null>;

  /** resolveAccount for several pushed ids at once (pushes arriving together); a port may do it in one query. */
  async resolveAccounts(platform: string, pushedIds: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const id of pushedIds) out.set(id, await this.resolveAccount(platform, id));
    return out;
  }

  /** Verifies and parses a platform push; needs no network (the platform waits 5 s at most). */
  abstract handleWebhook(platform: string, req: WebhookRequest): Promise<WebhookVerdict>;
}
