import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { containsPattern, LIKE_ESCAPE, whereInScope, pathInScope, fetchPage, listOrder, applyOrder } from '@tongfa/database';
import { Unit, User, UserStatus, RoleAssignment, PasswordHistory, Session } from './entities';
import { Actor } from './actor';
import { Permission, Role, ROLE_NAMES, SEPARATED_ROLES } from './roles';
import { IdentityError, IdentityException } from './identity.exception';
import { PasswordHasher } from './auth/password-hasher';
import { checkPasswordComplexity } from './auth/password-policy';
import { UnitsService } from './units.service';
import { setSystemFlag, SystemFlagName, systemFlagIsSet } from './system-flags';

export interface RoleInput {
  role: Role;
  unitId: string;
  level?: number | null;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  unitId: string;
  password: string;
  roles?: RoleInput[];
}

export interface UpdateUserInput {
  displayName?: string;
  status?: UserStatus;
  unlock?: boolean;
  password?: string;
}

export interface UserListQuery extends PageQuery {
  unitId?: string;
  role?: Role;
  q?: string;
  status?: UserStatus;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  status: UserStatus;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  locked: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  roles: { role: Role; unitId: string; level: number | null }[];
  /**
   * Whether the caller may reset, disable, unlock, edit or re-role this user (the same rule as
   * assertMayManage), so the console offers only what the hub would allow. Absent without a caller.
   */
  manageable?: boolean;
}

/** The user columns a list row (UserView) needs. */
const LIST_COLUMNS = [
  'id',
  'username',
  'displayName',
  'unitId',
  'unitPath',
  'status',
  'mustChangePassword',
  'totpEnabled',
  'lockedUntil',
  'lastLoginAt',
  'createdAt',
] as const satisfies readonly (keyof User)[];

/** Roles a unit admin may hand out inside its own subtree; the rest need the security admin. */
const BUSINESS_ROLES: readonly Role[] = [Role.Editor, Role.Reviewer, Role.DutyOfficer];

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly units: UnitsService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a user. A password set by an administrator is temporary: it must be changed at the
   * first sign-in. `opts.permanent` is for the bootstrap operator and the demo.
   */
  async create(actor: Actor | null, input: CreateUserInput, opts: { permanent?: boolean } = {}): Promise<UserView> {
    checkPasswordComplexity(input.password, input.username);
    const passwordHash = await this.hasher.hash(input.password);
    return this.ds.transaction(async (m) => {
      actor = await this.asOfNow(m, actor);
      const unit = actor
        ? await this.units.findInScope(m, actor, Permission.UserWrite, input.unitId)
        : await m.findOneOrFail(Unit, { where: { id: input.unitId } });
      if (await m.exists(User, { where: { username: input.username } })) throw new IdentityException(IdentityError.UsernameTaken);
      const now = this.clock.now();
      const user = m.create(User, {
        id: newId(),
        username: input.username,
        displayName: input.displayName,
        unitId: unit.id,
        unitPath: unit.path,
        status: UserStatus.Active,
        passwordHash,
        mustChangePassword: !opts.permanent,
        passwordChangedAt: now,
        failedLoginCount: 0,
        lockedUntil: null,
        totpSecret: null,
        totpEnabled: false,
        totpLastStep: null,
        oidcIssuer: null,
        oidcSubject: null,
        lastLoginAt: null,
      });
      await m.save(user);
      await m.save(PasswordHistory, { id: newId(), userId: user.id, passwordHash });
      if (input.roles?.length) await this.applyRoles(m, actor, user, input.roles);
      return this.view(m, user);
    });
  }

  async list(actor: Actor, q: UserListQuery): Promise<Page<UserView>> {
    if (!actor.can(Permission.UserRead)) throw new CommonException(CommonError.Forbidden);
    // Only what a list row shows (never the password hash or TOTP secret), fewer bytes per row.
    const qb = this.ds
      .getRepository(User)
      .createQueryBuilder('u')
      .select(LIST_COLUMNS.map((c) => `u.${c}`));
    whereInScope(qb, 'u.unitPath', actor.scope(Permission.UserRead));
    if (q.unitId) qb.andWhere('u.unitId = :unitId', { unitId: q.unitId });
    if (q.status) qb.andWhere('u.status = :status', { status: q.status });
    if (q.q) {
      const like = containsPattern(q.q);
      qb.andWhere(`(u.username LIKE :like ${LIKE_ESCAPE} OR u.displayName LIKE :like ${LIKE_ESCAPE})`, { like });
    }
    if (q.role) {
      qb.andWhere('EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.userId = u.id AND ra.role = :role)', { role: q.role });
    }
    const { skip, take } = pageOffset(q);
    const order = listOrder(
      q.sort,
      {
        username: 'u.username',
        displayName: 'u.displayName',
        status: 'u.status',
        createdAt: 'u.createdAt',
        lastLoginAt: 'u.lastLoginAt',
      },
      [['u.unitPath', 'ASC']],
      'u.id',
    );
    const [users, total, next] = await fetchPage(applyOrder(qb, order), skip, take, {
      totalOf: ['user', 'role_assignment'],
      keyset: { order, after: q.after, sorted: !!q.sort },
    });
    return { items: await this.views(this.ds.manager, users, actor), total, next };
  }

  async get(actor: Actor, id: string, permission = Permission.UserRead): Promise<UserView> {
    const user = await this.findInScope(this.ds.manager, actor, permission, id);
    return (await this.views(this.ds.manager, [user], actor))[0]!;
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<{ before: UserView; after: UserView }> {
    let passwordHash: string | undefined;
    return this.ds.transaction(async (m) => {
      const user = await this.findInScope(m, actor, Permission.UserWrite, id, true);
      await this.assertMayManage(m, actor, user);
      const before = await this.view(m, user);
      if (input.displayName !== undefined) user.displayName = input.displayName;
      if (input.status !== undefined) user.status = input.status;
      if (input.unlock) {
        user.failedLoginCount = 0;
        user.lockedUntil = null;
      }
      if (input.password !== undefined) {
        checkPasswordComplexity(input.password, user.username);
        passwordHash ??= await this.hasher.hash(input.password);
        user.passwordHash = passwordHash;
        user.mustChangePassword = true; // an administrator's reset is always temporary
        user.passwordChangedAt = this.clock.now();
        await m.save(PasswordHistory, { id: newId(), userId: user.id, passwordHash });
      }
      await m.save(user);
      // A reset or a disabled account ends every open session: the old password's holder, or
      // the disabled user, must not keep a refresh token alive.
      if (input.password !== undefined || input.status === UserStatus.Disabled) {
        await m.update(
          Session,
          { userId: user.id, revokedAt: IsNull() },
          {
            revokedAt: this.clock.now(),
            revokedReason: input.password !== undefined ? 'password_reset' : 'user_disabled',
          },
        );
      }
      return { before, after: await this.view(m, user) };
    });
  }

  /**
   * Replaces a user's roles with `roles`. Only someone who may manage the user (assertMayManage:
   * who could grant every role they hold now) may do it, so every current assignment is theirs
   * to replace.
   */
  async setRoles(actor: Actor, id: string, roles: RoleInput[]): Promise<{ before: UserView; after: UserView }> {
    return this.ds.transaction(async (m) => {
      const user = await this.findInScope(m, actor, Permission.UserRead, id, true);
      const now = await this.assertMayManage(m, actor, user);
      const before = await this.view(m, user);
      await m.delete(RoleAssignment, { userId: user.id });
      await this.applyRoles(m, now, user, roles);
      return { before, after: await this.view(m, user) };
    });
  }

  /**
   * The user if inside the actor's scope for `permission`. `forChange` locks the row (MySQL; SQLite
   * has one writer): two changes to one user run one after the other, so a role granted meanwhile
   * is seen by the rule that decides whether a reset is allowed.
   */
  async findInScope(m: EntityManager, actor: Actor, permission: Permission, id: string, forChange = false): Promise<User> {
    const lock = forChange && m.connection.options.type !== 'better-sqlite3';
    const user = await m.findOne(User, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!user || !pathInScope(user.unitPath, actor.scope(permission))) throw new IdentityException(IdentityError.UserNotFound);
    return user;
  }

  /**
   * The one rule every operation that changes an existing user consults (edit, disable, unlock,
   * password reset, roles, revoking their API keys):
   * - nobody changes their own account or roles here (one's own password: POST /auth/password);
   * - 三权分立: a platform operator, security admin or auditor changes no other holder of those roles
   *   (their accounts are repaired by the break-glass command line, not by one another);
   * - otherwise the caller must be able to grant every role the user holds, at every unit where
   *   they hold it: a unit admin cannot reset a supervisor above it, nor an editor who also works
   *   for a sibling unit.
   * Returns the caller as the grant rules see it inside this transaction (see asOfNow).
   */
  async assertMayManage(m: EntityManager, actor: Actor, target: User): Promise<Actor> {
    const now = (await this.asOfNow(m, actor))!;
    const held = await m.find(RoleAssignment, { where: { userId: target.id } });
    const refusal = this.manageRefusal(now, target.id, held);
    if (refusal) throw new IdentityException(refusal);
    return now;
  }

  /** Why `now` may not manage the user holding `held` (null: it may). One rule for refusing and for showing. */
  private manageRefusal(now: Actor, targetId: string, held: Pick<RoleAssignment, 'role' | 'unitPath'>[]): IdentityError | null {
    if (targetId === now.userId) return IdentityError.SelfAdministration;
    if (SEPARATED_ROLES.some((r) => now.hasRole(r)) && held.some((a) => SEPARATED_ROLES.includes(a.role))) {
      return IdentityError.SeparatedRoleTarget;
    }
    if (!held.every((a) => this.canGrant(now, a.role, a.unitPath))) return IdentityError.UserNotManageable;
    return null;
  }

  /** Whether `actor` may grant `role` at a unit with `unitPath`. Null actor: the system itself. */
  canGrant(actor: Actor | null, role: Role, unitPath: string): boolean {
    if (!actor) return true;
    if (actor.canAt(Permission.RoleGrant, unitPath)) return true;
    return BUSINESS_ROLES.includes(role) && actor.canAt(Permission.UserWrite, unitPath) && actor.hasRole(Role.UnitAdmin);
  }

  /**
   * The actor with the bootstrap operator's grant power checked again inside the transaction: the
   * loaded actor may be a few seconds old, and that power ends the moment a security admin is granted.
   */
  private async asOfNow(m: EntityManager, actor: Actor | null): Promise<Actor | null> {
    if (!actor?.extra.includes(Permission.RoleGrant)) return actor;
    if (!(await systemFlagIsSet(m, SystemFlagName.SecurityAdminGranted))) return actor;
    const extra = actor.extra.filter((p) => p !== Permission.RoleGrant);
    return new Actor(actor.userId, actor.username, actor.unitId, actor.unitPath, actor.grants, actor.via, extra);
  }

  private async applyRoles(m: EntityManager, actor: Actor | null, user: User, roles: RoleInput[]): Promise<void> {
    const current = await m.find(RoleAssignment, { where: { userId: user.id } });
    const rows: RoleAssignment[] = [];
    for (const r of roles) {
      if (r.role === Role.Reviewer && !(r.level && r.level >= 1 && r.level <= 3)) {
        throw new IdentityException(IdentityError.ReviewerLevelRequired, {}, [{ field: 'roles.level', message: '1–3' }]);
      }
      const unit = await m.findOne(Unit, { where: { id: r.unitId } });
      if (!unit || (actor && !actor.canAt(Permission.UnitRead, unit.path))) throw new IdentityException(IdentityError.UnitNotFound);
      // The role's name, not its code, reaches the person (the code stays in `code` and the audit).
      if (!this.canGrant(actor, r.role, unit.path))
        throw new IdentityException(IdentityError.RoleNotGrantable, { role: ROLE_NAMES[r.role] ?? r.role });
      if (current.some((c) => c.role === r.role && c.unitId === unit.id) || rows.some((c) => c.role === r.role && c.unitId === unit.id)) {
        continue;
      }
      rows.push(
        m.create(RoleAssignment, {
          id: newId(),
          userId: user.id,
          role: r.role,
          unitId: unit.id,
          unitPath: unit.path,
          level: r.role === Role.Reviewer ? r.level! : null,
          grantedBy: actor?.userId ?? null,
        }),
      );
    }
    const separated = new Set([...current, ...rows].map((r) => r.role).filter((r) => SEPARATED_ROLES.includes(r)));
    if (separated.size > 1) throw new IdentityException(IdentityError.SeparationOfDuties);
    if (rows.length) await m.save(rows);
    if (rows.some((r) => r.role === Role.SecurityAdmin)) await setSystemFlag(m, SystemFlagName.SecurityAdminGranted);
  }

  async view(m: EntityManager, user: User): Promise<UserView> {
    return (await this.views(m, [user]))[0]!;
  }

  private async views(m: EntityManager, users: User[], actor?: Actor): Promise<UserView[]> {
    if (users.length === 0) return [];
    // Plain rows, no entities: a page of 20 users costs this query on every request of the list.
    const ids = users.map((u) => u.id);
    const q = (name: string) => m.connection.driver.escape(name);
    const roles = (await m.query(
      `SELECT ${['userId', 'role', 'unitId', 'unitPath', 'level'].map(q).join(', ')} FROM ${q('role_assignment')}
       WHERE ${q('userId')} IN (${ids.map(() => '?').join(', ')}) ORDER BY ${q('createdAt')}, ${q('id')}`,
      ids,
    )) as { userId: string; role: Role; unitId: string; unitPath: string; level: number | string | null }[];
    type Held = Pick<RoleAssignment, 'role' | 'unitId' | 'unitPath' | 'level'>;
    const rolesOf = new Map<string, Held[]>();
    for (const r of roles) {
      const held: Held = { role: r.role, unitId: r.unitId, unitPath: r.unitPath, level: r.level === null ? null : Number(r.level) };
      rolesOf.set(r.userId, [...(rolesOf.get(r.userId) ?? []), held]);
    }
    const now = this.clock.now().getTime();
    const caller = actor ? await this.asOfNow(m, actor) : null;
    const manageable = (u: User) =>
      caller && caller.canAt(Permission.UserWrite, u.unitPath)
        ? this.manageRefusal(caller, u.id, rolesOf.get(u.id) ?? []) === null
        : caller
          ? false
          : undefined;
    return users.map((u) => ({
      ...(caller ? { manageable: manageable(u) } : {}),
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      unitId: u.unitId,
      status: u.status,
      mustChangePassword: u.mustChangePassword,
      totpEnabled: u.totpEnabled,
      locked: !!u.lockedUntil && u.lockedUntil.getTime() > now,
      lastLoginAt: u.lastLoginAt,
      createdAt: u.createdAt,
      roles: (rolesOf.get(u.id) ?? []).map((r) => ({ role: r.role, unitId: r.unitId, level: r.level })),
    }));
  }
}
