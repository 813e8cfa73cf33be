import { Permission, POLICY, Role } from './roles';

export interface ActorGrant {
  role: Role;
  unitId: string;
  unitPath: string;
  level: number | null;
}

/**
 * scope() per actor and permission, kept beside the actor rather than in it (so two actors with
 * the same grants stay equal): an actor never changes, and the requests of a session share it.
 */
const scopes = new WeakMap<Actor, Map<Permission, readonly string[]>>();

/**
 * Who is calling: a signed-in user or an API key, with the roles it holds. Services take an Actor
 * and ask it for the subtrees where a permission holds; repositories filter by those paths.
 */
export class Actor {
  constructor(
    readonly userId: string,
    readonly username: string,
    readonly unitId: string,
    readonly unitPath: string,
    readonly grants: readonly ActorGrant[],
    readonly via: { sessionId?: string; apiKeyId?: string } = {},
    /** The bootstrap operator may grant roles until a security admin exists. */
    readonly extra: readonly Permission[] = [],
  ) {}

  private scopeOf(permission: Permission): readonly string[] {
    let mine = scopes.get(this);
    if (!mine) scopes.set(this, (mine = new Map()));
    let paths = mine.get(permission);
    if (!paths) {
      const roles = POLICY[permission];
      const extra = this.extra.includes(permission);
      paths = minimalPaths(this.grants.filter((g) => extra || roles.includes(g.role)).map((g) => g.unitPath));
      mine.set(permission, paths);
    }
    return paths;
  }

  hasRole(role: Role): boolean {
    return this.grants.some((g) => g.role === role);
  }

  /**
   * Unit paths where `permission` holds, minimal: a path already covered by an ancestor in the
   * list is dropped. Empty means the permission does not hold anywhere.
   */
  scope(permission: Permission): string[] {
    return [...this.scopeOf(permission)];
  }

  can(permission: Permission): boolean {
    return this.scopeOf(permission).length > 0;
  }

  canAt(permission: Permission, unitPath: string): boolean {
    return this.scopeOf(permission).some((p) => unitPath.startsWith(p));
  }

  /** Whether `permission` holds over the whole tree: at the root unit (the province), whose path is one id. */
  holdsAtRoot(permission: Permission): boolean {
    return this.scopeOf(permission).some(isRootPath);
  }
}

/** The root's materialized path is `/<id>/`; every other unit's has its ancestors' ids too. */
export function isRootPath(path: string): boolean {
  return /^\/[^/]+\/$/.test(path);
}

export function minimalPaths(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const p of sorted) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out;
}
