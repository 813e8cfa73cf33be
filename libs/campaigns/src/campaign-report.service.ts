import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { Clock } from '@tongfa/core';
import { Actor, Unit, UnitLevel } from '@tongfa/identity';
import { Assignment } from './entities';
import { CampaignsService } from './campaigns.service';
import { addCount, emptyCounts, minutesLate, StateCounts } from './campaign-views';

const LEVEL_NAMES: Record<string, string> = {
  [UnitLevel.Province]: '省级',
  [UnitLevel.City]: '市级',
  [UnitLevel.County]: '县级',
  [UnitLevel.Township]: '乡镇',
  [UnitLevel.Department]: '部门',
};

export const STATE_NAMES: Record<string, string> = {
  pending: '待接收',
  accepted: '已接收',
  done: '已完成',
  done_late: '逾期完成',
  overdue: '逾期未完成',
  exempted: '已豁免',
  not_applicable: '无账号',
};

const COMPLETION_NAMES: Record<string, string> = { tongfa: '统发发布', detected: '自动检测', evidence: '单位举证' };

/** Shanghai has no daylight saving time: local time is UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export function shanghaiTime(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The campaign's report (xlsx): a summary by unit level and platform (assigned, done, late,
 * overdue, exempted, no account) and one detail row per assignment, Chinese headers, times in
 * Asia/Shanghai local time. Rows are read in pages so a 10,000-assignment campaign stays small in memory.
 */
@Injectable()
export class CampaignReportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
  ) {}

  async build(actor: Actor, id: string): Promise<{ filename: string; buffer: Buffer; title: string }> {
    const c = await this.campaigns.findIssued(actor, id);
    const now = this.clock.now();
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Tongfa';
    const summary = wb.addWorksheet('汇总');
    const detail = wb.addWorksheet('明细');
    detail.columns = [
      { header: '单位', key: 'unit', width: 28 },
      { header: '单位层级', key: 'level', width: 10 },
      { header: '账号', key: 'account', width: 24 },
      { header: '平台', key: 'platform', width: 12 },
      { header: '状态', key: 'state', width: 12 },
      { header: '完成方式', key: 'completion', width: 12 },
      { header: '完成时间', key: 'completedAt', width: 20 },
      { header: '逾期分钟', key: 'minutesLate', width: 10 },
      { header: '提醒次数', key: 'reminders', width: 10 },
      { header: '链接', key: 'url', width: 50 },
    ];
    const groups = new Map<string, { level: string; platform: string; counts: StateCounts }>();
    const repo = this.ds.getRepository(Assignment);
    const units = new Map<string, Pick<Unit, 'name' | 'level'>>();
    for (let offset = 0; ; offset += 2000) {
      const page = await repo.find({
        where: { campaignId: c.id },
        order: { unitPath: 'ASC', platform: 'ASC', id: 'ASC' },
        skip: offset,
        take: 2000,
      });
      if (!page.length) break;
      const missing = [...new Set(page.map((a) => a.unitId))].filter((u) => !units.has(u));
      if (missing.length) {
        for (const u of await this.ds
          .getRepository(Unit)
          .createQueryBuilder('u')
          .select(['u.id', 'u.name', 'u.level'])
          .whereInIds(missing)
          .getMany())
          units.set(u.id, u);
      }
      const accounts = await this.campaigns.accountNames(page.flatMap((a) => (a.accountId ? [a.accountId] : [])));
      for (const a of page) {
        const unit = units.get(a.unitId);
        const level = LEVEL_NAMES[unit?.level ?? ''] ?? '';
        const key = `${level}\u0000${a.platform}`;
        const g = groups.get(key) ?? groups.set(key, { level, platform: a.platform, counts: emptyCounts() }).get(key)!;
        addCount(g.counts, a.state, 1);
        detail.addRow({
          unit: unit?.name ?? '',
          level,
          account: a.accountId ? (accounts.get(a.accountId) ?? '') : '（无账号）',
          platform: a.platform,
          state: STATE_NAMES[a.state] ?? a.state,
          completion: a.completion ? COMPLETION_NAMES[a.completion] : '',
          completedAt: a.completedAt ? shanghaiTime(a.completedAt) : '',
          minutesLate: minutesLate(a, now) ?? '',
          reminders: a.reminders,
          url: a.url ?? '',
        });
      }
    }
    summary.addRow([`联动任务：${c.title}`]);
    summary.addRow([`截止时间：${shanghaiTime(c.deadline)}（北京时间）`, '', `生成时间：${shanghaiTime(now)}`]);
    summary.addRow([]);
    const header = summary.addRow(['单位层级', '平台', '分派数', '已完成', '逾期完成', '逾期未完成', '已豁免', '无账号', '完成率']);
    header.font = { bold: true };
    const total = emptyCounts();
    const rows = [...groups.values()].sort((a, b) => a.level.localeCompare(b.level, 'zh') || a.platform.localeCompare(b.platform));
    for (const g of rows) {
      summary.addRow(summaryRow(g.level, g.platform, g.counts));
      for (const k of Object.keys(g.counts) as (keyof StateCounts)[]) total[k] += g.counts[k];
    }
    summary.addRow(summaryRow('合计', '', total)).font = { bold: true };
    summary.columns.forEach((col) => (col.width = 14));
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    return { filename: `campaign-${c.id}.xlsx`, buffer, title: c.title };
  }
}

function summaryRow(level: string, platform: string, c: StateCounts): (string | number)[] {
  const owed = c.total - c.not_applicable - c.exempted;
  const rate = owed > 0 ? `${(((c.done + c.done_late) / owed) * 100).toFixed(1)}%` : '-';
  return [level, platform, c.total, c.done, c.done_late, c.overdue, c.exempted, c.not_applicable, rate];
}
