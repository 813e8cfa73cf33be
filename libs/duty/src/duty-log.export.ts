import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { formatLocalTime } from '@tongfa/core';
import type { DutyLog } from './duty.service';
import type { OnCallSource } from './schedule';

const SOURCE_ZH = (s: OnCallSource): string =>
  s.kind === 'override' ? '替班' : s.kind === 'layer' ? `第 ${s.layer} 层（${s.name}）` : '空档（由值班角色兜底）';

const REASON_ZH: Record<string, string> = {
  override: '替班',
  layer: '排班',
  gap: '空档兜底',
  user: '指定人员',
  unscheduled: '未排班（值班角色）',
};

/** 值班日志 as xlsx: one sheet of shifts, one of alerts with who was told, acknowledged and resolved. */
@Injectable()
export class DutyLogExport {
  async xlsx(log: DutyLog): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const t = (d: Date | null) => (d ? formatLocalTime(d) : '');
    const shifts = wb.addWorksheet('值班记录');
    shifts.columns = [
      { header: '开始', key: 'from', width: 24 },
      { header: '结束', key: 'to', width: 24 },
      { header: '值班人员', key: 'who', width: 18 },
      { header: '依据', key: 'source', width: 28 },
    ];
    for (const s of log.shifts)
      shifts.addRow({ from: t(s.from), to: t(s.to), who: s.displayName ?? '（空档）', source: SOURCE_ZH(s.source) });
    const alerts = wb.addWorksheet('值班提醒');
    alerts.columns = [
      { header: '提醒时间', key: 'createdAt', width: 24 },
      { header: '提醒', key: 'title', width: 40 },
      { header: '级别', key: 'severity', width: 10 },
      { header: '通知对象', key: 'notified', width: 40 },
      { header: '确认人', key: 'ackBy', width: 14 },
      { header: '确认时间', key: 'ackAt', width: 24 },
      { header: '处置人', key: 'resBy', width: 14 },
      { header: '处置时间', key: 'resAt', width: 24 },
    ];
    for (const a of log.alerts)
      alerts.addRow({
        createdAt: t(a.createdAt),
        title: a.title.zh,
        severity: a.severity,
        notified: a.notified.map((n) => `${n.displayName}（${REASON_ZH[n.reason] ?? n.reason}，${t(n.at)}）`).join('；'),
        ackBy: a.acknowledgedByName ?? '',
        ackAt: t(a.acknowledgedAt),
        resBy: a.resolvedByName ?? '',
        resAt: t(a.resolvedAt),
      });
    for (const ws of [shifts, alerts]) ws.getRow(1).font = { bold: true };
    wb.creator = 'Tongfa';
    wb.title = `${log.unitName} 值班日志`;
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}
