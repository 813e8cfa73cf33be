import { promises as dns, type LookupAddress } from 'node:dns';
import { isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { PermanentError, type PluginErrorOptions } from './errors';

/**
 * What an IP address is, for deciding whether a plugin may connect to it. Everything but `public`
 * is refused by the host's HTTP client (loopback only where a test host allows it).
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  /** RFC 1918, unique local fc00::/7 and the deprecated site-local fec0::/10. */
  | 'private'
  /** Carrier-grade NAT, 100.64.0.0/10. */
  | 'shared'
  /** 169.254.0.0/16 (cloud metadata services live here) and fe80::/10. */
  | 'link-local'
  | 'multicast'
  | 'unspecified'
  /** Documentation, benchmarking, broadcast, 240/4 and other special-purpose ranges. */
  | 'reserved'
  /** Not an IP address. */
  | 'invalid';

function v4(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

function v6(ip: string): number[] | null {
  if (!isIPv6(ip)) return null;
  let s = ip;
  // A dotted IPv4 tail (::ffff:127.0.0.1) becomes its two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const b = v4(dotted[1]!);
    if (!b) return null;
    s = `${s.slice(0, -dotted[1]!.length)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const parse = (part: string) => (part ? part.split(':').map((x) => parseInt(x, 16)) : []);
  let groups: number[];
  if (s.includes('::')) {
    const [head, rest] = s.split('::') as [string, string];
    const h = parse(head);
    const r = parse(rest);
    groups = [...h, ...Array<number>(Math.max(0, 8 - h.length - r.length)).fill(0), ...r];
  } else groups = parse(s);
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function classifyV4(b: number[]): AddressClass {
  const [a, c] = [b[0]!, b[1]!];
  if (b.every((x) => x === 0)) return 'unspecified';
  if (a === 0) return 'reserved';
  if (a === 10) return 'private';
  if (a === 100 && c >= 64 && c <= 127) return 'shared';
  if (a === 127) return 'loopback';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 172 && c >= 16 && c <= 31) return 'private';
  if (a === 192 && c === 168) return 'private';
  if (a === 192 && c === 0 && (b[2] === 0 || b[2] === 2)) return 'reserved';
  if (a === 192 && c === 88 && b[2] === 99) return 'reserved';
  if (a === 198 && (c === 18 || c === 19)) return 'reserved';
  if (a === 198 && c === 51 && b[2] === 100) return 'reserved';
  if (a === 203 && c === 0 && b[2] === 113) return 'reserved';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

function classifyV6(b: number[]): AddressClass {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return 'loopback';
  // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16.
  const embedded = (v: number[]) => {
    const k = classifyV4(v);
    return k === 'public' ? null : k;
  };
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12));
  if (zeros(0, 12)) return classifyV4(b.slice(12)) === 'public' ? 'reserved' : classifyV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return embedded(b.slice(12)) ?? 'public';
  if (b[0] === 0x20 && b[1] === 0x02) return embedded(b.slice(2, 6)) ?? 'public';
  if ((b[0]! & 0xfe) === 0xfc) return 'private';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return 'private';
  if (b[0] === 0xff) return 'multicast';
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'reserved';
  // 2001::/23 holds protocol assignments (Teredo hides an IPv4 address in 2001::/32).
  if (b[0] === 0x20 && b[1] === 0x01 && (b[2]! & 0xfe) === 0) return 'reserved';
  if (b[0] === 0x01 && zeros(1, 8)) return 'reserved';
  // Only 2000::/3 is allocated as global unicast.
  return (b[0]! & 0xe0) === 0x20 ? 'public' : 'reserved';
}

/**
 * Classifies an IPv4 or IPv6 address (brackets and a zone id are ignored). IPv4 addresses written
 * inside IPv6 (mapped, compatible, NAT64, 6to4) are classified by the IPv4 address they carry.
 */
export function classifyAddress(address: string): AddressClass {
  const s = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const a = v4(s);
  if (a) return classifyV4(a);
  const b = v6(s);
  if (b) return classifyV6(b);
  return 'invalid';
}

/** One address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system resolver by default). */
export type EgressResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver: getaddrinfo, every address, in the resolver's order. */
export const systemResolver: EgressResolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Thrown when a request would reach a host or address no plugin may reach. Host: fail the call; never retry. */
export class EgressRefusedError extends PermanentError {
  /** Lets a host recognise the refusal whichever copy of the SDK raised it. */
  readonly egressRefused = true;
  /** The node errno-style code, so socket errors and this one read alike in logs. */
  readonly code = 'ERR_TONGFA_EGRESS_REFUSED';
  constructor(opts?: PluginErrorOptions) {
    super({ zh: '出于安全原因，插件不能访问该地址', en: 'egress refused: the address is not one a plugin may reach', ...opts });
  }
}

/**
 * A `lookup` for node's sockets that resolves with `resolver` and lets the socket connect only if
 * every address the name has passes `permit`: the checked address is the one connected to, so a
 * name that changes its answer between a check and the connection (DNS rebinding) gains nothing.
 */
export function guardedLookup(resolver: EgressResolver, permit: (address: string) => boolean): LookupFunction {
  return ((hostname: string, options: { family?: number | string; all?: boolean }, callback: (...args: unknown[]) => void) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : Number(options.family) || 0;
    resolver(hostname).then(
      (found) => {
        const list = found.filter((a) => !family || a.family === family);
        if (list.length === 0) {
          const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
          return callback(e);
        }
        const bad = list.find((a) => !permit(a.address));
        if (bad) {
          return callback(
            new EgressRefusedError({
              zh: `出于安全原因，插件不能访问主机 ${hostname}（解析到${CLASS_ZH[classifyAddress(bad.address)]}地址）`,
              en: `egress to ${hostname} refused: it resolves to a ${classifyAddress(bad.address)} address (${bad.address})`,
            }),
          );
        }
        if (options.all)
          callback(
            null,
            list.map((a) => ({ address: a.address, family: a.family }) satisfies LookupAddress),
          );
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (e: unknown) => callback(e),
    );
  }) as LookupFunction;
}

/** How a refusal names an address class in Chinese. */
export const CLASS_ZH: Record<AddressClass, string> = {
  public: '公网',
  loopback: '本机回环',
  private: '内网',
  shared: '运营商共享（CGNAT）',
  'link-local': '链路本地（含云元数据服务）',
  multicast: '组播',
  unspecified: '未指定',
  reserved: '保留',
  invalid: '无效',
};
