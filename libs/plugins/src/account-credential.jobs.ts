import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { Clock } from '@tongfa/core';
import { Account, AccountConnection, AccountCredential } from '@tongfa/accounts';
import { JobHandler, JobQueue } from '@tongfa/jobs';
import { PluginHost } from './plugin-host';
import { PluginCallError } from './plugin-call-error';
import { CredentialStore } from './credential-store';
import { AccountReauthService } from './account-reauth.service';

/** Transient refresh failures tolerated before an expired token is given up on. */
const MAX_REFRESH_FAILURES = 5;

export type RefreshOutcome = 'refreshed' | 'skipped' | 'deferred' | 'needs_reauth';

/**
 * Keeps tokens alive: the sweep finds credentials whose refreshAt passed (the row, not the queue,
 * says what is due) and enqueues one refresh per row; the refresh renews through the plugin, backs
 * off on transient failures, and hands the account to a person when the platform says no for good.
 * Vault rotation re-seals rows under the current key in batches.
 */
@Injectable()
export class AccountCredentialJobs {
  private readonly logger = new Logger('AccountCredentialJobs');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly host: PluginHost,
    private readonly store: CredentialStore,
    private readonly reauth: AccountReauthService,
  ) {}

  @JobHandler('account.refresh-sweep')
  async handleRefreshSweep(): Promise<number> {
    const due = await this.ds.getRepository(AccountCredential).find({
      where: { refreshAt: LessThanOrEqual(this.clock.now()) },
      select: { accountId: true, refreshAt: true },
      order: { refreshAt: 'ASC' },
      take: 500,
    });
    for (const c of due) {
      // One job per due time: a second sweep before it ran adds nothing; a later due time is new work.
      await this.queue.add(
        'account.refresh',
        { accountId: c.accountId },
        { jobId: `account.refresh:${c.accountId}:${c.refreshAt!.getTime()}` },
      );
    }
    return due.length;
  }

  @JobHandler('account.refresh')
  async handleRefresh(payload: { accountId: string }): Promise<RefreshOutcome> {
    const now = this.clock.now();
    const row = await this.ds.getRepository(AccountCredential).findOne({ where: { accountId: payload.accountId } });
    // Refreshed meanwhile (by a publish that hit AuthExpired, or a duplicate job): nothing to do.
    if (!row?.refreshAt || row.refreshAt.getTime() > now.getTime()) return 'skipped';
    const account = await this.ds.getRepository(Account).findOne({ where: { id: payload.accountId } });
    if (!account || account.connection !== AccountConnection.Connected || !this.host.registry.has(account.platform)) return 'skipped';
    try {
      await this.host.refresh(account.id);
      return 'refreshed';
    } catch (e) {
      const err = PluginCallError.from(e, []);
      const retryable = err.kind === 'transient' || err.kind === 'rate_limited' || err.kind === 'ambiguous';
      const failures = row.refreshFailures + 1;
      const expired = !row.expiresAt || row.expiresAt.getTime() <= now.getTime();
      if (!retryable || (failures >= MAX_REFRESH_FAILURES && expired)) {
        await this.reauth.markNeedsReauth(account.id, err.message);
        return 'needs_reauth';
      }
      const backoff = Math.max(err.retryAfterMs ?? 0, Math.min(30 * 60_000, 30_000 * 2 ** (failures - 1)));
      await this.store.deferRefresh(account.id, failures, new Date(now.getTime() + backoff));
      this.logger.warn(`refresh of account ${account.id} deferred (${err.kind}), attempt ${failures}`);
      return 'deferred';
    }
  }

  @JobHandler('vault.rotate')
  async handleVaultRotate(payload: { batch?: number }): Promise<number> {
    let total = 0;
    // Batches keep each pass short; reads keep working throughout because the old key stays in the ring.
    for (let i = 0; i < 10_000; i++) {
      const { resealed, remaining } = await this.store.rotateBatch(payload.batch ?? 100);
      total += resealed;
      if (!remaining) break;
    }
    this.logger.log(`vault rotation re-sealed ${total} credential rows`);
    return total;
  }
}
