/**
 * The public page of an account, for the spot check's snapshot. Sandbox accounts (their endpoints
 * point at a simulator) have one at the simulator's `/_sandbox/<platform>/page?account=<id>`; real
 * platforms' pages need a plugin capability that does not exist yet, so they get none (`null`).
 */
export function publicPageUrl(a: {
  platform: string;
  platformAccountId: string | null;
  endpoints: Record<string, string> | null;
  sandbox: boolean;
}): string | null {
  if (!a.sandbox) return null;
  const any = a.endpoints ? Object.values(a.endpoints)[0] : undefined;
  if (!any || !a.platformAccountId) return null;
  let origin: string;
  try {
    origin = new URL(any).origin;
  } catch {
    return null;
  }
  return `${origin}/_sandbox/${encodeURIComponent(a.platform)}/page?account=${encodeURIComponent(a.platformAccountId)}`;
}
