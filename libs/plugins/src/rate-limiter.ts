import type Redis from 'ioredis';

/** One token bucket: at most `tokens` calls per `intervalMs`, refilled continuously. */
export interface Bucket {
  key: string;
  tokens: number;
  intervalMs: number;
}

/**
 * The rate-limit port: takes one token from every bucket, or from none. Returns 0 when granted,
 * otherwise how long to wait (ms) before the slowest bucket has a token again.
 */
export abstract class RateLimiter {
  abstract take(buckets: readonly Bucket[], nowMs: number): Promise<number>;
}

interface State {
  tokens: number;
  ts: number;
}

/** Buckets in this process's memory: the embedded mode, where one process does all the calling. */
export class MemoryRateLimiter extends RateLimiter {
  private readonly state = new Map<string, State>();

  async take(buckets: readonly Bucket[], nowMs: number): Promise<number> {
    const current = buckets.map((b) => {
      const s = this.state.get(b.key) ?? { tokens: b.tokens, ts: nowMs };
      const tokens = Math.min(b.tokens, s.tokens + (Math.max(0, nowMs - s.ts) * b.tokens) / b.intervalMs);
      return { b, tokens, ts: Math.max(s.ts, nowMs) };
    });
    const wait = Math.max(0, ...current.map(({ b, tokens }) => (tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * b.intervalMs) / b.tokens))));
    for (const c of current) this.state.set(c.b.key, { tokens: wait === 0 ? c.tokens - 1 : c.tokens, ts: c.ts });
    return wait;
  }
}

/**
 * Refill and take in one Lua script, so concurrent workers on the same Redis never both spend
 * the last token: Redis runs a script atomically. All buckets or none are debited.
 * KEYS: bucket keys. ARGV: now, then (capacity, intervalMs) per key.
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local n = #KEYS
local tokens = {}
local wait = 0
for i = 1, n do
  local cap = tonumber(ARGV[2 * i])
  local interval = tonumber(ARGV[2 * i + 1])
  local data = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local t = tonumber(data[1])
  local ts = tonumber(data[2])
  if t == nil then t = cap; ts = now end
  if now > ts then
    t = math.min(cap, t + (now - ts) * cap / interval)
    ts = now
  end
  tokens[i] = { t, ts, interval }
  if t < 1 then
    local w = math.ceil((1 - t) * interval / cap)
    if w > wait then wait = w end
  end
end
for i = 1, n do
  local t = tokens[i][1]
  if wait == 0 then t = t - 1 end
  redis.call('HSET', KEYS[i], 'tokens', tostring(t), 'ts', tostring(tokens[i][2]))
  redis.call('PEXPIRE', KEYS[i], tokens[i][3] * 2)
end
return wait
`;

/** Buckets in Redis: the distributed mode, where every hub and worker process shares them. */
export class RedisRateLimiter extends RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    redis.defineCommand('tongfaTakeTokens', { lua: TAKE_SCRIPT });
  }

  async take(buckets: readonly Bucket[], nowMs: number): Promise<number> {
    if (buckets.length === 0) return 0;
    const keys = buckets.map((b) => `${this.prefix}:rl:${b.key}`);
    const args = [String(Math.floor(nowMs)), ...buckets.flatMap((b) => [String(b.tokens), String(b.intervalMs)])];
    const run = (this.redis as unknown as Record<string, (n: number, ...a: string[]) => Promise<number>>).tongfaTakeTokens;
    return Number(await run.call(this.redis, keys.length, ...keys, ...args));
  }
}
