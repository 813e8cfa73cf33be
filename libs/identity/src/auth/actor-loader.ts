import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock } from '@tongfa/core';
import { ApiKey, RoleAssignment, User, UserStatus } from '../entities';
import { Actor, ActorGrant } from '../actor';
import { Permission, Role } from '../roles';
import { IdentityError, IdentityException } from '../identity.exception';
import { SessionsService } from './sessions.service';
import { ApiKeysService, grantCovers } from './api-keys.service';
import { SystemFlagName, systemFlagIsSet } from '../system-flags';

/** How long a session's actor is reused before its session, user and roles are read again. */
export const ACTOR_CACHE_MS = 2000;

/**
 * Turns a verified access token or API key into an Actor. A session's actor (session alive, user
 * active, current roles) is kept for ACTOR_CACHE_MS by the injected clock, which saves three
 * queries on every request of a busy console; changes made in this process (logout, password,
 * roles, disabling) drop the entries at once, and other processes see them within that time.
 */
@Injectable()
export class ActorLoader {
  /** Cached for a few seconds while false: whether a security admin was ever granted (see bootstrap grant below). */
  private securityAdminSeen: { value: boolean; at: number } | null = null;
  private readonly cache = new Map<string, { actor: Actor; until: number }>();
  /**
   * Loads running now, by session: the requests of a busy console that find the entry expired
   * together share one load instead of each touching the session and reading the user and roles.
   * Any change (below) drops them, so a request made after a logout or a role change never gets
   * an actor read before it; `changes` keeps such a load's answer out of the cache.
   */
  private readonly loading = new Map<string, Promise<Actor>>();
  private changes = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
  ) {
    sessions.onChange((e) => {
      if (!e.sessionId) return this.forgetUser(e.userId);
      this.changes++;
      this.cache.delete(e.sessionId);
      this.loading.delete(e.sessionId);
    });
  }

  async forSession(userId: string, sessionId: string): Promise<Actor> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(sessionId);
    if (hit && hit.until > now && hit.actor.userId === userId) return hit.actor;
    let load = this.loading.get(sessionId);
    if (!load) {
      load = this.load(userId, sessionId, now);
      this.loading.set(sessionId, load);
      const done = () => this.loading.get(sessionId) === load && this.loading.delete(sessionId);
      load.then(done, done);
    }
    const actor = await load;
    // A shared load answers only the token it was started for (the session's own user).
    if (actor.userId !== userId) throw new IdentityException(IdentityError.TokenInvalid);
    return actor;
  }

  private async load(userId: string, sessionId: string, now: number): Promise<Actor> {
    const changes = this.changes;
    const session = await this.sessions.touch(sessionId);
    if (session.userId !== userId) throw new IdentityException(IdentityError.TokenInvalid);
    const actor = await this.forUser(userId, { sessionId });
    if (changes === this.changes) {
      if (this.cache.size > 10_000) this.cache.clear(); // bounded: a burst of sessions cannot grow it without limit
      this.cache.set(sessionId, { actor, until: now + ACTOR_CACHE_MS });
    }
    return actor;
  }

  /** Drops every cached actor of a user (disabled, password reset, roles changed). */
  forgetUser(userId?: string): void {
    this.changes++;
    this.loading.clear();
    if (!userId) return this.cache.clear();
    for (const [sid, e] of this.cache) if (e.actor.userId === userId) this.cache.delete(sid);
  }

  async forApiKey(token: string): Promise<Actor> {
    const key = await this.apiKeys.authenticate(token);
    const owner = await this.forUser(key.ownerId, { apiKeyId: key.id });
    // A key never holds more than its owner holds now: each grant must still be covered.
    const grants = owner.grants.length ? await this.grantsOf(key.grants.map((g) => ({ ...g, level: g.level ?? null }))) : [];
    const covered = grants.filter((g) => owner.grants.some((o) => grantCovers(o, g)));
    return new Actor(owner.userId, owner.username, owner.unitId, owner.unitPath, covered, { apiKeyId: key.id });
  }

  async forUser(userId: string, via: { sessionId?: string; apiKeyId?: string } = {}): Promise<Actor> {
    const user = await this.ds.getRepository(User).findOne({ where: { id: userId } });
    if (!user || user.status !== UserStatus.Active) throw new IdentityException(IdentityError.SessionExpired);
    const rows = await this.ds
      .getRepository(RoleAssignment)
      .find({ where: { userId }, select: { role: true, unitId: true, unitPath: true, level: true } });
    const grants: ActorGrant[] = rows.map((r) => ({ role: r.role, unitId: r.unitId, unitPath: r.unitPath, level: r.level }));
    const extra: Permission[] = [];
    // The bootstrap operator may grant roles until a security admin is first granted (DESIGN.md),
    // never again after: removing or disabling every security admin does not bring it back.
    if (grants.some((g) => g.role === Role.PlatformOperator) && !(await this.securityAdminEverGranted())) {
      extra.push(Permission.RoleGrant);
    }
    return new Actor(user.id, user.username, user.unitId, user.unitPath, grants, via, extra);
  }

  /** Forget cached answers (called when roles change in this process). */
  invalidate(): void {
    this.securityAdminSeen = null;
    this.changes++;
    this.loading.clear();
    this.cache.clear();
  }

  private async securityAdminEverGranted(): Promise<boolean> {
    const now = Date.now();
    // True is final (the flag is never cleared), so it is kept; false is read again after 5 s.
    if (this.securityAdminSeen && (this.securityAdminSeen.value || now - this.securityAdminSeen.at < 5000)) {
      return this.securityAdminSeen.value;
    }
    const value = await systemFlagIsSet(this.ds.manager, SystemFlagName.SecurityAdminGranted);
    this.securityAdminSeen = { value, at: now };
    return value;
  }

  private async grantsOf(raw: { role: Role; unitId: string; level: number | null }[]): Promise<ActorGrant[]> {
    if (raw.length === 0) return [];
    const units = await this.ds
      .createQueryBuilder()
      .select(['u.id AS id', 'u.path AS path'])
      .from('unit', 'u')
      .where({ id: In(raw.map((r) => r.unitId)) })
      .getRawMany<{ id: string; path: string }>();
    const paths = new Map(units.map((u) => [u.id, u.path]));
    return raw.filter((r) => paths.has(r.unitId)).map((r) => ({ ...r, unitPath: paths.get(r.unitId)! }));
  }
}

export type { ApiKey };
