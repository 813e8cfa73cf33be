import type {
  FaultConfig,
  SimComment,
  SimMessage,
  SimMessageKind,
  SimReply,
  WebhookDelivery,
  WebhookPush,
  WebhookTarget,
} from './simulator-harness';

/** A post as listed by `GET /_sandbox/<platform>/posts`. */
export interface InspectedPost {
  id: string;
  account: string;
  title: string;
  text: string;
  idempotencyMarker: string | null;
  createdAt: string;
  deleted: boolean;
  /** Made as if in the platform's own app (outside Tongfa). */
  native: boolean;
  /** The post's public address, when the simulator knows it. */
  url: string | null;
  comments: SimComment[];
  metrics: { views: number; likes: number; shares: number; comments: number };
}

/**
 * A client of the sandbox inspection API (`/_sandbox/<platform>/…`). Tests use it instead of reaching
 * into simulator objects, so they work the same against apps/sandbox running in another process.
 */
export class SandboxClient {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/_sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Creates a simulated account and returns its credentials; `subject` is its verified subject (default: the name). */
  createAccount(
    platform: string,
    name: string,
    opts: { subject?: string } = {},
  ): Promise<{ id: string; name: string; subject: string; credentials: Record<string, string> }> {
    return this.call('POST', `/${platform}/accounts`, { name, ...opts });
  }

  posts(platform: string, account?: string): Promise<InspectedPost[]> {
    return this.call('GET', `/${platform}/posts${account ? `?account=${encodeURIComponent(account)}` : ''}`);
  }

  setFaults(platform: string, faults: FaultConfig): Promise<FaultConfig & { injected: number }> {
    return this.call('PUT', `/${platform}/faults`, faults);
  }

  faults(platform: string): Promise<FaultConfig & { injected: number }> {
    return this.call('GET', `/${platform}/faults`);
  }

  /** Requests in flight (a `slow` one counts until the platform finished it), faults injected, totals. */
  status(platform: string): Promise<{ inflight: number; commits: number; injected: number; posts: number; accounts: number }> {
    return this.call('GET', `/${platform}/status`);
  }

  /** A citizen comments on a post; `parentId` answers another comment (a comment tree). */
  addComment(
    platform: string,
    postId: string,
    text: string,
    author?: string,
    opts: { authorId?: string; parentId?: string; fromAccount?: boolean } = {},
  ): Promise<SimComment> {
    return this.call('POST', `/${platform}/posts/${encodeURIComponent(postId)}/comments`, { text, author, ...opts });
  }

  /** Replies the accounts sent through the platform's API (to comments and messages), oldest first. */
  replies(platform: string, filter: { account?: string; kind?: 'comment' | 'message' } = {}): Promise<SimReply[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>).toString();
    return this.call('GET', `/${platform}/replies${q ? `?${q}` : ''}`);
  }

  /** Where the simulator pushes citizens' messages (the hub's `/webhooks/<plugin>`), with tries and timeout. */
  setWebhook(platform: string, target: WebhookTarget): Promise<WebhookTarget> {
    return this.call('PUT', `/${platform}/webhook`, target);
  }

  /** Makes the platform's verification handshake against the webhook URL; `ok` when the hub echoed right. */
  webhookChallenge(platform: string, target?: WebhookTarget): Promise<{ ok: boolean; expected: string; delivery: WebhookDelivery }> {
    return this.call('POST', `/${platform}/webhook/challenge`, target ?? {});
  }

  /**
   * A citizen (`from`, default a new one) writes to an account; the simulator pushes it to the webhook
   * (the configured one, or `url`) and answers once the tries are over. `deliver: false` only records it.
   */
  sendMessage(
    platform: string,
    m: { account: string; text: string; from?: string; author?: string; kind?: SimMessageKind; deliver?: boolean } & Partial<WebhookTarget>,
  ): Promise<SimMessage> {
    return this.call('POST', `/${platform}/messages`, m);
  }

  messages(platform: string, account?: string): Promise<SimMessage[]> {
    return this.call('GET', `/${platform}/messages${account ? `?account=${encodeURIComponent(account)}` : ''}`);
  }

  /** The signed request the platform would push for a message (for tests that send it themselves). */
  messagePush(platform: string, messageId: string): Promise<WebhookPush> {
    return this.call('GET', `/${platform}/messages/${encodeURIComponent(messageId)}/push`);
  }

  /** Pushes a message again, as the platform retries: the same message id. */
  redeliver(platform: string, messageId: string, target?: WebhookTarget): Promise<WebhookDelivery[]> {
    return this.call('POST', `/${platform}/messages/${encodeURIComponent(messageId)}/redeliver`, target ?? {});
  }

  /**
   * Creates a post as if made in the platform's own app (outside Tongfa) on a simulated account; the
   * platform's list API returns it and its `url` resolves through getPostByUrl. `link` is a link the
   * post carries (e.g. the original it relays), `repostOf` the platform id of a post it reposts.
   */
  nativePost(
    platform: string,
    post: { account: string; title?: string; text: string; link?: string; repostOf?: string },
  ): Promise<InspectedPost> {
    return this.call('POST', `/${platform}/native-posts`, post);
  }

  advanceClock(platform: string, advanceMs: number): Promise<{ now: number }> {
    return this.call('POST', `/${platform}/clock`, { advanceMs });
  }
}
