import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Clock, CommonError, CommonException, newId, Page, PageQuery, pageOffset } from '@tongfa/core';
import { pathInScope, whereInScope, fetchPage, orderList, listOrder, applyOrder } from '@tongfa/database';
import { Actor, Permission, Role, Unit } from '@tongfa/identity';
import { Account, AccountApproval, AccountConnection, AccountStatus, Filing, FilingKind } from './entities';
import { AccountError, AccountException } from './accounts.exception';
import { namingIssues } from './naming';
import { PlatformCatalog } from './platform-catalog';

export interface CreateAccountInput {
  unitId: string;
  platform: string;
  name: string;
  platformAccountId?: string | null;
  exceptionReason?: string | null;
}

export interface UpdateAccountInput {
  name?: string;
  platformAccountId?: string;
  verifiedSubject?: string;
  /** Per-account plugin settings; merged over the current ones (null removes a key). */
  settings?: Record<string, string | number | boolean | null>;
  status?: AccountStatus.Active | AccountStatus.Suspended | AccountStatus.Cancelled;
  /** When the change took effect (defaults to now); filings are due 3 days after. */
  effectiveAt?: Date;
  reason?: string;
}

export interface AccountListQuery extends PageQuery {
  unitId?: string;
  platform?: string;
  status?: AccountStatus;
  naming?: 'consistent' | 'inconsistent';
}

export type FilingStatus = 'pending' | 'overdue' | 'filed' | 'late';

export interface FilingListQuery extends PageQuery {
  status?: FilingStatus;
  unitId?: string;
  accountId?: string;
}

export interface FilingView extends Filing {
  status: FilingStatus;
}

/** 3 days to file a transition with the supervisor (分级备案). */
export const FILING_DEADLINE_MS = 3 * 86_400_000;

/** Statuses that count toward the one-account-per-platform rule. */
const LIVE: AccountStatus[] = [AccountStatus.Applying, AccountStatus.Opened, AccountStatus.Active, AccountStatus.Suspended];

const TRANSITIONS: Record<AccountStatus, AccountStatus[]> = {
  [AccountStatus.Applying]: [],
  [AccountStatus.Rejected]: [],
  [AccountStatus.Opened]: [AccountStatus.Active, AccountStatus.Suspended, AccountStatus.Cancelled],
  [AccountStatus.Active]: [AccountStatus.Suspended, AccountStatus.Cancelled],
  [AccountStatus.Suspended]: [AccountStatus.Active, AccountStatus.Cancelled],
  [AccountStatus.Cancelled]: [],
};

export const STATUS_ZH: Record<AccountStatus, string> = {
  applying: '申请中',
  rejected: '未获批准',
  opened: '已开设',
  active: '运营中',
  suspended: '已关停',
  cancelled: '已注销',
};

/**
 * The registry of government accounts: who runs which account on which platform, its lifecycle
 * with the supervisor's approval, the filings each transition owes, and the naming rules.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly platforms: PlatformCatalog,
  ) {}

  /** A unit admin applies for a new account; it opens once a supervisor above the unit approves. */
  async create(actor: Actor, input: CreateAccountInput): Promise<{ account: Account; approval: AccountApproval }> {
    this.platforms.assertKnown(input.platform);
    return this.ds.transaction(async (m) => {
      const unit = await this.unitInScope(m, actor, Permission.AccountWrite, input.unitId);
      const existing = await m.count(Account, { where: { unitId: unit.id, platform: input.platform, status: In(LIVE) } });
      const exception = existing > 0;
      if (exception && !input.exceptionReason?.trim()) throw new AccountException(AccountError.OnePerPlatform);
      const account = m.create(Account, {
        id: newId(),
        unitId: unit.id,
        unitPath: unit.path,
        platform: input.platform,
        name: input.name.trim(),
        platformAccountId: input.platformAccountId ?? null,
        profileName: null,
        verifiedSubject: null,
        avatarUrl: null,
        followers: null,
        profileCheckedAt: null,
        status: AccountStatus.Applying,
        connection: AccountConnection.None,
        exceptionReason: exception ? input.exceptionReason!.trim() : null,
        namingIssues: null,
        lastPostAt: null,
        openedAt: null,
        closedAt: null,
        createdBy: actor.userId,
      });
      await m.save(account);
      const approval = m.create(AccountApproval, {
        id: newId(),
        accountId: account.id,
        unitPath: unit.path,
        requestedBy: actor.userId,
        reason: input.exceptionReason?.trim() || null,
        exception,
        decision: 'pending',
        decidedBy: null,
        decidedAt: null,
        comment: null,
      });
      await m.save(approval);
      return { account, approval };
    });
  }

  /**
   * A supervisor above the unit decides an application. Approval opens the account (taking
   * effect now) and creates the opening filing; for a second account on a platform it is also
   * the recorded exception to the one-per-platform rule.
   */
  async decide(
    actor: Actor,
    accountId: string,
    decision: 'approve' | 'reject',
    comment: string | null,
  ): Promise<{ account: Account; approval: AccountApproval; filing: Filing | null }> {
    return this.ds.transaction(async (m) => {
      const account = await this.accountInScope(m, actor, Permission.AccountRead, accountId);
      const approval = await m.findOne(AccountApproval, { where: { accountId, decision: 'pending' }, order: { createdAt: 'DESC' } });
      if (!approval || account.status !== AccountStatus.Applying) throw new AccountException(AccountError.NotPending);
      if (approval.requestedBy === actor.userId) throw new AccountException(AccountError.SelfApproval);
      if (!this.isSupervisorAbove(actor, account.unitPath)) throw new AccountException(AccountError.NotAbove);
      const now = this.clock.now();
      approval.decision = decision === 'approve' ? 'approved' : 'rejected';
      approval.decidedBy = actor.userId;
      approval.decidedAt = now;
      approval.comment = comment;
      await m.save(approval);
      let filing: Filing | null = null;
      if (decision === 'approve') {
        account.status = AccountStatus.Opened;
        // An imported inventory row keeps the opening date its sheet gave.
        account.openedAt = account.openedAt ?? now;
        filing = await this.owe(m, account, FilingKind.Open, now, { name: account.name, platform: account.platform });
      } else {
        account.status = AccountStatus.Rejected;
        account.closedAt = now;
      }
      await m.save(account);
      await this.recheckNaming(m, account.unitId);
      return { account: await m.findOneByOrFail(Account, { id: account.id }), approval, filing };
    });
  }

  /** Changes name, subject or status; each change that takes effect owes a filing. */
  async update(
    actor: Actor,
    accountId: string,
    input: UpdateAccountInput,
  ): Promise<{ before: Account; after: Account; filings: Filing[] }> {
    const now = this.clock.now();
    const effectiveAt = input.effectiveAt ?? now;
    if (effectiveAt.getTime() > now.getTime() + 60_000) throw new AccountException(AccountError.EffectiveInFuture);
    return this.ds.transaction(async (m) => {
      const account = await this.accountInScope(m, actor, Permission.AccountWrite, accountId);
      const before = { ...account };
      const filings: Filing[] = [];
      if (input.status && input.status !== account.status) {
        if (!TRANSITIONS[account.status].includes(input.status)) {
          throw new AccountException(AccountError.BadTransition, { from: STATUS_ZH[account.status], to: STATUS_ZH[input.status] });
        }
        const kind =
          input.status === AccountStatus.Suspended
            ? FilingKind.Suspend
            : input.status === AccountStatus.Cancelled
              ? FilingKind.Cancel
              : account.status === AccountStatus.Suspended
                ? FilingKind.Change // resumption after a suspension
                : null; // opened → active is the account going live, already filed as opening
        account.status = input.status;
        if (input.status === AccountStatus.Cancelled) account.closedAt = effectiveAt;
        if (kind)
          filings.push(
            await this.owe(m, account, kind, effectiveAt, {
              status: { from: before.status, to: input.status },
              reason: input.reason ?? null,
            }),
          );
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (input.name !== undefined && input.name.trim() !== account.name) {
        changes.name = { from: account.name, to: input.name.trim() };
        account.name = input.name.trim();
      }
      if (input.verifiedSubject !== undefined && input.verifiedSubject !== account.verifiedSubject) {
        changes.verifiedSubject = { from: account.verifiedSubject, to: input.verifiedSubject };
        account.verifiedSubject = input.verifiedSubject;
      }
      if (input.platformAccountId !== undefined) account.platformAccountId = input.platformAccountId;
      if (input.settings) {
        this.platforms.assertSettings(account.platform, input.settings);
        const merged: Record<string, string | number | boolean> = { ...(account.settings ?? {}) };
        for (const [k, v] of Object.entries(input.settings)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        this.platforms.assertSettingsComplete(account.platform, merged);
        account.settings = merged;
      }
      if (Object.keys(changes).length > 0 && account.status !== AccountStatus.Applying) {
        filings.push(await this.owe(m, account, FilingKind.Change, effectiveAt, { ...changes, reason: input.reason ?? null }));
      }
      await m.save(account);
      await this.recheckNaming(m, account.unitId);
      return { before, after: await m.findOneByOrFail(Account, { id: account.id }), filings };
    });
  }

  /** Records that a transition was filed with the supervisor; filed after the deadline it is late. */
  async file(actor: Actor, accountId: string, filingId: string | undefined, reference: string | null): Promise<FilingView> {
    return this.ds.transaction(async (m) => {
      const account = await this.accountInScope(m, actor, Permission.AccountWrite, accountId);
      const filing = filingId
        ? await m.findOne(Filing, { where: { id: filingId, accountId: account.id } })
        : await m.findOne(Filing, { where: { accountId: account.id, filedAt: IsNull() }, order: { effectiveAt: 'ASC' } });
      if (!filing) throw new AccountException(AccountError.FilingNotFound);
      if (filing.filedAt) throw new AccountException(AccountError.FilingAlreadyFiled);
      const now = this.clock.now();
      filing.filedAt = now;
      filing.filedBy = actor.userId;
      filing.reference = reference;
      filing.late = now.getTime() > filing.dueAt.getTime();
      await m.save(filing);
      return this.filingView(filing, now);
    });
  }

  async get(actor: Actor, id: string): Promise<Account & { approvals: AccountApproval[]; filings: FilingView[] }> {
    const account = await this.accountInScope(this.ds.manager, actor, Permission.AccountRead, id);
    const approvals = await this.ds.getRepository(AccountApproval).find({ where: { accountId: id }, order: { createdAt: 'ASC' } });
    const now = this.clock.now();
    const filings = (await this.ds.getRepository(Filing).find({ where: { accountId: id }, order: { effectiveAt: 'ASC' } })).map((f) =>
      this.filingView(f, now),
    );
    return { ...account, approvals, filings };
  }

  async list(actor: Actor, q: AccountListQuery): Promise<Page<Account>> {
    const scope = actor.scope(Permission.AccountRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    const qb = this.ds.getRepository(Account).createQueryBuilder('a');
    whereInScope(qb, 'a.unitPath', scope);
    if (q.unitId) qb.andWhere('a.unitId = :unitId', { unitId: q.unitId });
    if (q.platform) qb.andWhere('a.platform = :platform', { platform: q.platform });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (q.naming === 'inconsistent') qb.andWhere("a.namingIssues IS NOT NULL AND a.namingIssues <> '[]'");
    if (q.naming === 'consistent') qb.andWhere("a.namingIssues = '[]'");
    const { skip, take } = pageOffset(q);
    const order = listOrder(
      q.sort,
      {
        name: 'a.name',
        platform: 'a.platform',
        status: 'a.status',
        connection: 'a.connection',
        lastPostAt: 'a.lastPostAt',
        openedAt: 'a.openedAt',
        createdAt: 'a.createdAt',
      },
      [
        ['a.unitPath', 'ASC'],
        ['a.platform', 'ASC'],
      ],
      'a.id',
    );
    const [items, total, next] = await fetchPage(applyOrder(qb, order), skip, take, {
      totalOf: ['account'],
      keyset: { order, after: q.after, sorted: !!q.sort },
    });
    return { items, total, next };
  }

  /** Filings in the caller's subtree; `overdue` lists the missing (past due, unfiled) and the late. */
  async listFilings(actor: Actor, q: FilingListQuery): Promise<Page<FilingView>> {
    const scope = actor.scope(Permission.FilingRead);
    if (scope.length === 0) throw new CommonException(CommonError.Forbidden);
    const now = this.clock.now();
    const qb = this.ds.getRepository(Filing).createQueryBuilder('f');
    whereInScope(qb, 'f.unitPath', scope);
    if (q.unitId) qb.andWhere('f.unitId = :unitId', { unitId: q.unitId });
    if (q.accountId) qb.andWhere('f.accountId = :accountId', { accountId: q.accountId });
    switch (q.status) {
      case 'overdue':
        qb.andWhere('((f.filedAt IS NULL AND f.dueAt < :now) OR f.late = :yes)', { now, yes: true });
        break;
      case 'pending':
        qb.andWhere('f.filedAt IS NULL AND f.dueAt >= :now', { now });
        break;
      case 'filed':
        qb.andWhere('f.filedAt IS NOT NULL AND f.late = :no', { no: false });
        break;
      case 'late':
        qb.andWhere('f.late = :yes', { yes: true });
        break;
    }
    const { skip, take } = pageOffset(q);
    const [rows, total] = await fetchPage(
      orderList(
        qb,
        q.sort,
        { dueAt: 'f.dueAt', effectiveAt: 'f.effectiveAt', filedAt: 'f.filedAt', kind: 'f.kind' },
        [['f.dueAt', 'ASC']],
        'f.id',
      ),
      skip,
      take,
    );
    return { items: rows.map((f) => this.filingView(f, now)), total };
  }

  /**
   * Recomputes the naming verdict of every live account of a unit: one name for all of them
   * (the name most of them carry; the earliest opened wins a tie) and the unit as verified subject.
   * The platform's reported profile is the evidence when there is one.
   */
  async recheckNaming(m: EntityManager, unitId: string): Promise<void> {
    const unit = await m.findOneByOrFail(Unit, { id: unitId });
    const accounts = await m.find(Account, {
      where: { unitId, status: In([AccountStatus.Opened, AccountStatus.Active, AccountStatus.Suspended]) },
      order: { openedAt: 'ASC', createdAt: 'ASC' },
    });
    if (accounts.length === 0) return;
    const counts = new Map<string, number>();
    for (const a of accounts) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    let expected = accounts[0]!.name;
    for (const a of accounts) if (counts.get(a.name)! > counts.get(expected)!) expected = a.name;
    for (const a of accounts) {
      const issues = namingIssues({
        unitName: unit.name,
        expectedName: expected,
        accountName: a.profileName ?? a.name,
        verifiedSubject: a.verifiedSubject,
      });
      if (JSON.stringify(issues) !== JSON.stringify(a.namingIssues)) await m.update(Account, { id: a.id }, { namingIssues: issues });
    }
  }

  isSupervisorAbove(actor: Actor, unitPath: string): boolean {
    return actor.grants.some((g) => g.role === Role.Supervisor && unitPath.startsWith(g.unitPath));
  }

  async accountInScope(m: EntityManager, actor: Actor, permission: Permission, id: string): Promise<Account> {
    const account = await m.findOne(Account, { where: { id } });
    if (!account || !pathInScope(account.unitPath, actor.scope(permission))) {
      if (account && actor.canAt(Permission.AccountRead, account.unitPath)) throw new CommonException(CommonError.Forbidden);
      throw new AccountException(AccountError.NotFound);
    }
    return account;
  }

  private async unitInScope(m: EntityManager, actor: Actor, permission: Permission, unitId: string): Promise<Unit> {
    const unit = await m.findOne(Unit, { where: { id: unitId } });
    if (!unit || !pathInScope(unit.path, actor.scope(permission))) {
      if (unit && actor.canAt(Permission.UnitRead, unit.path)) throw new CommonException(CommonError.Forbidden);
      throw new AccountException(AccountError.UnitNotFound);
    }
    return unit;
  }

  private async owe(
    m: EntityManager,
    account: Account,
    kind: FilingKind,
    effectiveAt: Date,
    details: Record<string, unknown>,
  ): Promise<Filing> {
    const filing = m.create(Filing, {
      id: newId(),
      accountId: account.id,
      unitId: account.unitId,
      unitPath: account.unitPath,
      kind,
      details,
      effectiveAt,
      dueAt: new Date(effectiveAt.getTime() + FILING_DEADLINE_MS),
      filedAt: null,
      late: false,
      filedBy: null,
      reference: null,
    });
    return m.save(filing);
  }

  filingView(f: Filing, now: Date): FilingView {
    const status: FilingStatus = f.filedAt ? (f.late ? 'late' : 'filed') : f.dueAt.getTime() < now.getTime() ? 'overdue' : 'pending';
    return { ...f, status };
  }
}
