import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Account } from '@tongfa/accounts';
import { AlertsService, DutyAlertKind, DutyAlertSeverity } from '@tongfa/alerts';
import { Manuscript } from '@tongfa/manuscripts';
import { Publication, PublicationTarget, TargetState } from './entities';

const logger = new Logger('PublishFailedAlert');

/** The end states a person must act on, and what the duty officer is told to do. */
const ENDS: Partial<Record<TargetState, { severity: DutyAlertSeverity; zh: string; en: string }>> = {
  failed: { severity: DutyAlertSeverity.Warning, zh: '发布失败', en: 'publishing failed' },
  needs_reauth: {
    severity: DutyAlertSeverity.Warning,
    zh: '账号授权失效，须单位管理员重新授权',
    en: 'the account needs to be reconnected by a unit admin',
  },
  unconfirmed: {
    severity: DutyAlertSeverity.Critical,
    zh: '无法确认是否已发布，请到平台核实',
    en: 'it is unknown whether the post went out; check on the platform',
  },
};

/**
 * Raises a publish_failed duty alert when a target settles in failed, needs_reauth or unconfirmed.
 * Once per target, end state and attempt count, so a retried target that fails again alerts again.
 * Never throws: the publish outcome is already recorded, and an alert must not undo it.
 */
export async function raisePublishFailedAlert(
  ds: DataSource,
  alerts: AlertsService,
  target: PublicationTarget,
  patch: Partial<PublicationTarget>,
): Promise<void> {
  const end = patch.state ? ENDS[patch.state] : undefined;
  if (!end) return;
  try {
    const pub = await ds.getRepository(Publication).findOneByOrFail({ id: target.publicationId });
    const ms = await ds.getRepository(Manuscript).findOneBy({ id: pub.manuscriptId });
    const account = await ds.getRepository(Account).findOneBy({ id: target.accountId });
    const title = ms?.title ?? pub.manuscriptId;
    const where = `${account?.name ?? target.accountId}（${target.platform}）`;
    const reason = patch.lastError ?? target.lastError ?? '';
    await alerts.raise({
      kind: DutyAlertKind.PublishFailed,
      severity: end.severity,
      unitId: pub.unitId,
      unitPath: pub.unitPath,
      title: { zh: `发布异常：${title}`, en: `Publishing problem: ${title}` },
      message: {
        zh: `稿件“${title}”发往 ${where}：${end.zh}。${reason}`,
        en: `"${title}" to ${account?.name ?? target.accountId} (${target.platform}): ${end.en}. ${reason}`,
      },
      link: { type: 'publication', id: pub.id },
      dedupeKey: `publish_failed:${target.id}:${patch.state}:${patch.attempts ?? target.attempts}`,
    });
  } catch (e) {
    logger.warn(`could not raise the alert for target ${target.id}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
