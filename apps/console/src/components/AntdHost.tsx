import { useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Loading } from './Loading';

type Scope = ComponentType<{ children: ReactNode }>;

let loaded: Scope | null = null;
let loading: Promise<Scope> | null = null;

/** Downloads components/AntdScope.tsx (antd's provider and stylesheet) once; later calls share it. */
export function loadAntd(): Promise<Scope> {
  loading ??= import('./AntdScope').then((m) => (loaded = m.default));
  return loading;
}

/**
 * Wraps the pages in antd's provider. Children that need none (`needsAntd` false: the workbench)
 * render at once, without it, until antd has been loaded for another page; from then on every page
 * stays inside the same provider, so a message shown before navigating to the workbench survives.
 */
export function AntdHost({ needsAntd, children }: { needsAntd: boolean; children: ReactNode }) {
  const [Scope, setScope] = useState<Scope | null>(() => loaded);
  useEffect(() => {
    if (Scope || !needsAntd) return;
    let live = true;
    void loadAntd().then((s) => live && setScope(() => s));
    return () => {
      live = false;
    };
  }, [Scope, needsAntd]);
  if (Scope) return <Scope>{children}</Scope>;
  return needsAntd ? <Loading /> : <>{children}</>;
}
