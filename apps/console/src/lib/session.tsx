import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, hasTokens, onSessionEnded, setTokens } from '../api/client';
import { takeEarlySession } from './session-boot';
import type { Me, TokenResponse } from '../api/types';
import { dropLocalDrafts } from './local-draft';

interface Session {
  me: Me | null;
  loading: boolean;
  signIn(t: TokenResponse): Promise<Me>;
  signOut(): Promise<void>;
  reload(): Promise<void>;
  has(role: string): boolean;
}

const Ctx = createContext<Session>(null as unknown as Session);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(hasTokens());

  const reload = useCallback(async () => {
    if (!hasTokens()) {
      setMe(null);
      setLoading(false);
      return;
    }
    const early = takeEarlySession();
    try {
      setMe((early && (await early)) ?? (await api<Me>('/auth/me')));
    } catch {
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    onSessionEnded(() => setMe(null));
    void reload();
  }, [reload]);

  const signIn = useCallback(async (t: TokenResponse) => {
    setTokens({ accessToken: t.accessToken, refreshToken: t.refreshToken });
    const m = await api<Me>('/auth/me');
    setMe(m);
    return m;
  }, []);

  const signOut = useCallback(async () => {
    if (me) dropLocalDrafts(me.id);
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    setTokens(null);
    setMe(null);
  }, [me]);

  const has = useCallback((role: string) => !!me?.roles.some((r) => r.role === role), [me]);

  return <Ctx.Provider value={{ me, loading, signIn, signOut, reload, has }}>{children}</Ctx.Provider>;
}

export const useSession = (): Session => useContext(Ctx);
