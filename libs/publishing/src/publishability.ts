import type { ConstraintIssue, Rendition, SettingIssue } from '@tongfa/plugin-sdk';
import { Account, AccountConnection, AccountStatus } from '@tongfa/accounts';

/** Why an account cannot take a manuscript, as a machine-readable kind. */
export type SkipCode = 'account_status' | 'not_connected' | 'no_plugin' | 'settings' | 'rendition';

/** An account left out of a publication: who, on which platform, why, and what fixes it (Chinese). */
export interface SkippedAccount {
  accountId: string;
  accountName: string;
  /** The plugin id, as targets name it. */
  platform: string;
  /** The platform's Chinese name, e.g. 新浪微博. */
  platformName: string;
  code: SkipCode;
  reason: string;
  fix: string;
}

const PUBLISHABLE_STATUSES: AccountStatus[] = [AccountStatus.Active, AccountStatus.Opened];

const STATUS_ZH: Record<AccountStatus, string> = {
  [AccountStatus.Applying]: '申请中',
  [AccountStatus.Rejected]: '未获批准',
  [AccountStatus.Opened]: '已开设',
  [AccountStatus.Active]: '运行中',
  [AccountStatus.Suspended]: '已暂停',
  [AccountStatus.Cancelled]: '已注销',
};

/** The Chinese half of a plugin's "中文 / English" message. */
function zh(message: string): string {
  return message.split(' / ')[0]!.trim();
}

/**
 * The one rule that decides whether an account can take a version, shared by the preview and by
 * publishing: the account must be running and connected, its plugin loaded, its settings
 * complete, and the rendition free of violations render cannot fix. Null: it can.
 */
export function whyNotPublishable(
  account: Pick<Account, 'status' | 'connection'>,
  plugin: { loaded: boolean; settingIssues: SettingIssue[] },
  rendition: Pick<Rendition<unknown>, 'violations'> | null,
): Pick<SkippedAccount, 'code' | 'reason' | 'fix'> | null {
  if (!PUBLISHABLE_STATUSES.includes(account.status)) {
    return {
      code: 'account_status',
      reason: `账号状态为“${STATUS_ZH[account.status] ?? account.status}”，不能发布`,
      fix:
        account.status === AccountStatus.Suspended
          ? '账号恢复运行后再发布（单位管理员在账号页恢复，并向主管单位备案）'
          : account.status === AccountStatus.Applying
            ? '待主管单位审批通过、账号开设后再发布'
            : '该账号已不能使用，请选择其他账号',
    };
  }
  if (account.connection !== AccountConnection.Connected) {
    return {
      code: 'not_connected',
      reason: account.connection === AccountConnection.NeedsReauth ? '账号授权已失效' : '账号尚未连接平台',
      fix: '单位管理员在账号页点击“连接平台”或“重新连接”后再发布',
    };
  }
  if (!plugin.loaded) {
    return { code: 'no_plugin', reason: '该平台的插件未加载', fix: '请平台运维人员加载该平台插件（TONGFA_PLUGINS）' };
  }
  if (plugin.settingIssues.length) {
    return {
      code: 'settings',
      reason: `账号设置不完整：${plugin.settingIssues.map((i) => i.message.zh).join('；')}`,
      fix: `单位管理员在账号页的“平台设置”中填写 ${[...new Set(plugin.settingIssues.map((i) => i.setting))].join('、')} 后再发布`,
    };
  }
  if (rendition && rendition.violations.length) {
    return {
      code: 'rendition',
      reason: `稿件不符合该平台的限制：${rendition.violations.map((v) => zh(v.message)).join('；')}`,
      fix: fixFor(rendition.violations),
    };
  }
  return null;
}

function fixFor(violations: ConstraintIssue[]): string {
  const on = (prefix: string) => violations.some((v) => v.constraint === prefix || v.constraint.startsWith(`${prefix}.`));
  if (on('video')) return '为稿件添加符合要求的视频并重新送审，或发布时不选此账号';
  if (on('images') || on('cover')) return '添加或更换符合该平台要求的图片并重新送审，或发布时不选此账号';
  return '按该平台的限制修改稿件并重新送审，或发布时不选此账号';
}
