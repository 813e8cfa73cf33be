import type { FaultConfig, SimComment } from './simulator-harness';

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

  /** Creates a simulated account and returns its credentials. */
  createAccount(platform: string, name: string): Promise<{ id: string; name: string; credentials: Record<string, string> }> {
    return this.call('POST', `/${platform}/accounts`, { name });
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

  addComment(platform: string, postId: string, text: string, author?: string): Promise<SimComment> {
    return this.call('POST', `/${platform}/posts/${encodeURIComponent(postId)}/comments`, { text, author });
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
