import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, newId } from '@tongfa/core';
import { Account, AccountConnection, AccountCredential } from '@tongfa/accounts';
import { AuditService } from '@tongfa/audit';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { AccountAlert } from './entities';

/**
 * Marks an account whose credentials died for good: connection needs_reauth, no more refreshes,
 * an alert for its unit admin and an audit record. Only the first transition from connected writes
 * the alert, so a burst of failing publishes raises one alert, not fifty.
 */
@Injectable()
export class AccountReauthService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly alerts: AlertsService,
  ) {}

  async markNeedsReauth(accountId: string, reason: string): Promise<boolean> {
    return this.ds.transaction(async (m) => {
      const res = await m
        .createQueryBuilder()
        .update(Account)
        .set({ connection: AccountConnection.NeedsReauth })
        .where('id = :id AND connection = :c', { id: accountId, c: AccountConnection.Connected })
        .execute();
      if (!res.affected) return false;
      await m.update(AccountCredential, { accountId }, { refreshAt: null });
      const account = await m.findOneByOrFail(Account, { id: accountId });
      await m.insert(AccountAlert, {
        id: newId(),
        accountId,
        unitId: account.unitId,
        unitPath: account.unitPath,
        kind: 'needs_reauth',
        message: `账号“${account.name}”（${account.platform}）的授权已失效，请单位管理员重新连接 / the authorization expired: a unit admin must reconnect it`,
        resolvedAt: null,
      });
      // The duty officers hear of it too: every publish to the account fails until it is reconnected.
      await this.alerts.raise(
        {
          kind: DutyAlertKind.AccountNeedsReauth,
          severity: DutyAlertSeverity.Warning,
          unitId: account.unitId,
          unitPath: account.unitPath,
          title: { zh: `账号授权失效：${account.name}`, en: `Account needs reconnecting: ${account.name}` },
          message: {
            zh: `账号“${account.name}”（${account.platform}）的授权已失效，请通知单位管理员重新连接。`,
            en: `The authorization of "${account.name}" (${account.platform}) expired; a unit admin must reconnect it.`,
          },
          link: { type: 'account', id: accountId },
          dedupeKey: `account_needs_reauth:${accountId}:${this.clock.now().getTime()}`,
        },
        m,
      );
      await this.audit.record(
        {
          actorId: null,
          actorName: 'system',
          unitId: account.unitId,
          unitPath: account.unitPath,
          action: 'account.needs_reauth',
          targetType: 'account',
          targetId: accountId,
          result: 'failure',
          after: { platform: account.platform, reason: reason.slice(0, 300), at: this.clock.now().toISOString() },
        },
        m,
      );
      return true;
    });
  }
}
