import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager, IsNull, LessThan, MoreThan, QueryFailedError } from 'typeorm';
import { AppConfig, Clock, newId, OidcMapping } from '@tongfa/core';
import { OidcLoginState, OidcLoginTicket, RoleAssignment, Unit, User, UserStatus } from '../entities';
import { IdentityError, IdentityException } from '../identity.exception';
import { Role, SEPARATED_ROLES } from '../roles';
import { setSystemFlag, SystemFlagName } from '../system-flags';
import { AuthService, ClientMeta, TokenPair } from '../auth/auth.service';
import { mapClaims, MappedIdentity } from './claim-mapping';
import { RelyingPartyError, RelyingPartyPort } from './relying-party.port';

/** How long a sign-in may stay at the IdP before its state is forgotten. */
export const OIDC_STATE_TTL_SECONDS = 600;
/** How long the console has to exchange the ticket it got after the callback. */
export const OIDC_TICKET_TTL_SECONDS = 60;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** What a sign-in attempt did, for the audit log (the caller records it). */
export interface OidcLoginOutcome {
  userId: string | null;
  username: string | null;
  unitPath: string | null;
  subject: string | null;
  provisioned: boolean;
  reason?: string;
}

export const newOidcOutcome = (): OidcLoginOutcome => ({ userId: null, username: null, unitPath: null, subject: null, provisioned: false });

/**
 * Single sign-on through the provincial identity provider. The pending state lives in the
 * database (one row per sign-in, consumed once, ten minutes at most) so any hub process can take
 * the callback, the PKCE verifier never leaves the server and a replayed callback is refused;
 * the caller also binds it to the browser with a cookie holding the same state, against login
 * CSRF. A verified identity is matched by (issuer, subject) or provisioned from its claims.
 */
@Injectable()
export class OidcLoginService {
  private readonly logger = new Logger('OidcLoginService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    // Explicit token: a union type erases to Object in the decorator metadata.
    @Optional() @Inject(RelyingPartyPort) private readonly rp: RelyingPartyPort | null,
  ) {}

  get enabled(): boolean {
    return !!this.rp && !!this.config.env.TONGFA_OIDC_MAPPING;
  }

  /** Starts a sign-in: the IdP URL to send the browser to and the state to bind to it. */
  async begin(): Promise<{ url: string; state: string; expiresIn: number }> {
    const rp = this.relyingParty();
    const start = await rp.begin().catch((e: unknown) => this.fail(e));
    const now = this.clock.now();
    const repo = this.ds.getRepository(OidcLoginState);
    // Housekeeping on the way: states and tickets past their time are useless.
    await repo.delete({ expiresAt: LessThan(now) });
    await this.ds.getRepository(OidcLoginTicket).delete({ expiresAt: LessThan(now) });
    await repo.insert({
      id: sha256(start.state),
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      expiresAt: new Date(now.getTime() + OIDC_STATE_TTL_SECONDS * 1000),
      consumedAt: null,
    });
    return { url: start.url, state: start.state, expiresIn: OIDC_STATE_TTL_SECONDS };
  }

  /**
   * Finishes a sign-in from the callback URL. `browserState` is the state the browser carried
   * in its cookie: a callback for a sign-in this browser did not start is refused.
   */
  async complete(callbackUrl: URL, browserState: string | undefined, outcome: OidcLoginOutcome = newOidcOutcome()): Promise<User> {
    const rp = this.relyingParty();
    const state = callbackUrl.searchParams.get('state');
    if (!state) return this.refuse(outcome, 'missing_state', 'state 参数缺失 missing state');
    if (browserState !== state)
      return this.refuse(outcome, 'state_not_bound', '登录请求不是由本浏览器发起 state does not belong to this browser');
    const now = this.clock.now();
    const id = sha256(state);
    // Conditional update: of two callbacks carrying the same state, exactly one proceeds.
    const res = await this.ds
      .createQueryBuilder()
      .update(OidcLoginState)
      .set({ consumedAt: now })
      .where({ id, consumedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (res.affected !== 1)
      return this.refuse(outcome, 'state_invalid', '登录请求已过期或已使用 state is unknown, expired or already used');
    const pending = await this.ds.getRepository(OidcLoginState).findOneByOrFail({ id });
    let identity;
    try {
      identity = await rp.complete(callbackUrl, { state, nonce: pending.nonce, codeVerifier: pending.codeVerifier });
    } catch (e) {
      outcome.reason = 'exchange_failed';
      return this.fail(e);
    }
    outcome.subject = identity.subject;
    return this.matchOrProvision(identity.issuer, identity.subject, identity.claims, outcome);
  }

  /** A one-time ticket the console trades for tokens; only its hash is stored. */
  async issueTicket(user: User): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    await this.ds.getRepository(OidcLoginTicket).insert({
      id: sha256(ticket),
      userId: user.id,
      expiresAt: new Date(this.clock.now().getTime() + OIDC_TICKET_TTL_SECONDS * 1000),
      usedAt: null,
    });
    return ticket;
  }

  /** Trades a ticket for a session, once. */
  async redeemTicket(ticket: string, meta: ClientMeta, outcome: OidcLoginOutcome = newOidcOutcome()): Promise<TokenPair> {
    this.relyingParty();
    const now = this.clock.now();
    const id = sha256(ticket);
    const res = await this.ds
      .createQueryBuilder()
      .update(OidcLoginTicket)
      .set({ usedAt: now })
      .where({ id, usedAt: IsNull(), expiresAt: MoreThan(now) })
      .execute();
    if (res.affected !== 1)
      return this.refuse(outcome, 'ticket_invalid', '登录票据无效、已过期或已使用 the ticket is invalid, expired or used');
    const { userId } = await this.ds.getRepository(OidcLoginTicket).findOneByOrFail({ id });
    const user = await this.ds.getRepository(User).findOneByOrFail({ id: userId });
    Object.assign(outcome, { userId: user.id, username: user.username, unitPath: user.unitPath });
    return this.signIn(user, meta, outcome);
  }

  /** Opens a Tongfa session for a user the callback established. */
  async signIn(user: User, meta: ClientMeta, outcome: OidcLoginOutcome = newOidcOutcome()): Promise<TokenPair> {
    if (user.status !== UserStatus.Active) {
      outcome.reason = 'disabled';
      throw new IdentityException(IdentityError.AccountDisabled);
    }
    await this.ds.getRepository(User).update({ id: user.id }, { lastLoginAt: this.clock.now() });
    return this.auth.issue(user, 'oidc', meta);
  }

  private async matchOrProvision(
    issuer: string,
    subject: string,
    claims: Record<string, unknown>,
    outcome: OidcLoginOutcome,
  ): Promise<User> {
    const mapped = mapClaims(this.mapping(), claims, subject);
    const existing = await this.ds.getRepository(User).findOneBy({ oidcIssuer: issuer, oidcSubject: subject });
    // The IdP stays the authority: an identity whose claims no longer map to a unit and a role
    // is refused even when a Tongfa user exists for it.
    const unit = await this.resolveUnit(mapped, outcome);
    if (existing) {
      Object.assign(outcome, { userId: existing.id, username: existing.username, unitPath: existing.unitPath });
      if (existing.status !== UserStatus.Active) {
        outcome.reason = 'disabled';
        throw new IdentityException(IdentityError.AccountDisabled);
      }
      await this.ds.transaction(async (m) => {
        await this.grantMissing(m, existing, unit, mapped);
        if (existing.displayName !== mapped.displayName) await m.update(User, { id: existing.id }, { displayName: mapped.displayName });
      });
      return existing;
    }
    try {
      const user = await this.provision(issuer, subject, unit, mapped);
      Object.assign(outcome, { userId: user.id, username: user.username, unitPath: user.unitPath, provisioned: true });
      return user;
    } catch (e) {
      // Two callbacks of the same identity raced; the unique (issuer, subject) index let one win.
      const winner =
        e instanceof QueryFailedError ? await this.ds.getRepository(User).findOneBy({ oidcIssuer: issuer, oidcSubject: subject }) : null;
      if (!winner) throw e;
      Object.assign(outcome, { userId: winner.id, username: winner.username, unitPath: winner.unitPath });
      return winner;
    }
  }

  private async resolveUnit(mapped: MappedIdentity, outcome: OidcLoginOutcome): Promise<Unit> {
    if (!mapped.unit) {
      outcome.reason = 'no_unit_claim';
      throw new IdentityException(IdentityError.OidcNoMapping, {}, [
        { field: this.mapping().unit.claim, message: '身份声明中没有单位标识 the claims name no unit' },
      ]);
    }
    const where = mapped.unit.match === 'creditCode' ? { creditCode: mapped.unit.value } : { id: mapped.unit.value };
    const unit = await this.ds.getRepository(Unit).findOneBy(where);
    if (!unit) {
      outcome.reason = 'unknown_unit';
      throw new IdentityException(IdentityError.OidcNoMapping, {}, [
        { field: this.mapping().unit.claim, message: `单位 ${mapped.unit.value} 未在统发登记 no Tongfa unit matches ${mapped.unit.value}` },
      ]);
    }
    if (mapped.roles.length === 0) {
      outcome.reason = 'no_role';
      throw new IdentityException(IdentityError.OidcNoMapping, {}, [
        { field: this.mapping().roles.claim, message: '身份声明中的角色均未映射到统发角色 no claimed role maps to a Tongfa role' },
      ]);
    }
    return unit;
  }

  private async provision(issuer: string, subject: string, unit: Unit, mapped: MappedIdentity): Promise<User> {
    return this.ds.transaction(async (m) => {
      const username = (await m.existsBy(User, { username: mapped.username }))
        ? `${mapped.username.slice(0, 51)}.${sha256(`${issuer} ${subject}`).slice(0, 12)}`
        : mapped.username;
      // No password: this user signs in through the provincial IdP only (local login refuses a null hash).
      const user = m.create(User, {
        id: newId(),
        username,
        displayName: mapped.displayName,
        unitId: unit.id,
        unitPath: unit.path,
        status: UserStatus.Active,
        passwordHash: null,
        mustChangePassword: false,
        passwordChangedAt: null,
        failedLoginCount: 0,
        lockedUntil: null,
        totpSecret: null,
        totpEnabled: false,
        totpLastStep: null,
        oidcIssuer: issuer,
        oidcSubject: subject,
        lastLoginAt: null,
      });
      await m.insert(User, user);
      await this.grantMissing(m, user, unit, mapped);
      return user;
    });
  }

  /** Adds the mapped roles the user lacks at the unit; roles granted inside Tongfa are left alone. */
  private async grantMissing(m: EntityManager, user: User, unit: Unit, mapped: MappedIdentity): Promise<void> {
    const current = await m.findBy(RoleAssignment, { userId: user.id });
    const rows = mapped.roles
      .filter((r) => !current.some((c) => c.role === r.role && c.unitId === unit.id))
      .map((r) =>
        m.create(RoleAssignment, {
          id: newId(),
          userId: user.id,
          role: r.role,
          unitId: unit.id,
          unitPath: unit.path,
          level: r.level,
          grantedBy: null,
        }),
      );
    if (rows.length === 0) return;
    const separated = new Set([...current, ...rows].map((r) => r.role).filter((r) => SEPARATED_ROLES.includes(r)));
    if (separated.size > 1) throw new IdentityException(IdentityError.SeparationOfDuties);
    await m.insert(RoleAssignment, rows);
    if (rows.some((r) => r.role === Role.SecurityAdmin)) await setSystemFlag(m, SystemFlagName.SecurityAdminGranted);
  }

  private mapping(): OidcMapping {
    return this.config.env.TONGFA_OIDC_MAPPING!;
  }

  private relyingParty(): RelyingPartyPort {
    if (!this.rp || !this.config.env.TONGFA_OIDC_MAPPING) throw new IdentityException(IdentityError.OidcNotConfigured);
    return this.rp;
  }

  private refuse(outcome: OidcLoginOutcome, reason: string, text: string): never {
    outcome.reason = reason;
    throw new IdentityException(IdentityError.OidcFailed, { reason: text });
  }

  private fail(e: unknown): never {
    if (e instanceof RelyingPartyError) {
      this.logger.warn(`single sign-on failed: ${e.reason}`);
      throw new IdentityException(IdentityError.OidcFailed, { reason: e.reason });
    }
    throw e;
  }
}
