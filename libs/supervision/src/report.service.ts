import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { DataSource, In, LessThan } from 'typeorm';
import { Clock, formatLocalTime } from '@tongfa/core';
import { Actor, Unit } from '@tongfa/identity';
import { checklistFor } from './checklist';
import { Rectification, SpotCheckFinding, SpotCheckRound, SpotCheckSample } from './entities';
import { HeadlessBrowser } from './headless-browser';
import { SpotChecksService } from './spot-checks.service';

export const LEVEL_NAMES: Record<string, string> = {
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇',
  department: '部门',
};
const LEVEL_ORDER = ['province', 'city', 'county', 'township', 'department'];

export const PLATFORM_NAMES: Record<string, string> = {
  weibo: '微博',
  wechat: '微信公众号',
  douyin: '抖音',
  toutiao: '今日头条',
  nanfang: '南方号',
  'own-app': '自有客户端',
};
export const platformName = (p: string) => PLATFORM_NAMES[p] ?? p;
const RECT_NAMES: Record<string, string> = { open: '待整改', answered: '已回复', closed: '已销号', escalated: '已上报' };

export interface TotalsRow {
  key: string;
  label: string;
  population: number;
  checked: number;
  passed: number;
  failed: number;
  pending: number;
  /** checked / population. */
  ratio: number;
  /** passed / checked (accounts with every item decided pass). */
  passRate: number;
}

export interface ProblemAccount {
  unitName: string;
  unitLevel: string;
  accountName: string;
  platform: string;
  problems: string[];
  orders: { state: string; deadline: Date; overdue: boolean; answeredLate: boolean }[];
}

export interface ReportData {
  title: string;
  rootUnitName: string;
  period: string;
  generatedAt: Date;
  ratio: number;
  minRatio: number;
  byLevel: TotalsRow[];
  byPlatform: TotalsRow[];
  total: TotalsRow;
  previous: { id: string; period: string; checked: number; passRate: number } | null;
  problems: ProblemAccount[];
  /** Units with orders open past the deadline or answered late (逾期整改). */
  lateUnits: { unitName: string; overdue: number; answeredLate: number }[];
  requirements: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The round's 通报 in the established layout: title; 一、总体情况 (totals by unit level and platform,
 * checked count and ratio, pass rates, change since the root's previous round); 二、存在问题 naming
 * the accounts and units; 三、工作要求 (the round's editable text); 附件 the problem-account list. As
 * xlsx (sheets 通报 and 附件) or PDF (HTML printed by headless Chromium, with an ECharts SVG chart).
 */
@Injectable()
export class SpotCheckReportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly rounds: SpotChecksService,
    private readonly browser: HeadlessBrowser,
  ) {}

  async data(actor: Actor, id: string): Promise<ReportData> {
    const round = await this.rounds.findRound(actor, id);
    const root = await this.ds.getRepository(Unit).findOneOrFail({ where: { id: round.unitId }, select: { id: true, name: true } });
    const totals = await this.totals(round);
    const prevRound = await this.ds.getRepository(SpotCheckRound).findOne({
      where: { unitId: round.unitId, createdAt: LessThan(round.createdAt) },
      order: { createdAt: 'DESC' },
    });
    const previous = prevRound ? (await this.totals(prevRound)).total : null;
    const province = await this.ds.getRepository(Unit).findOneOrFail({
      where: { id: round.unitPath.split('/').filter(Boolean)[0]! },
      select: { id: true, regionCode: true },
    });
    const titles = new Map(checklistFor(province.regionCode).map((c) => [c.id, c.title.zh]));
    const now = this.clock.now();
    const orders = await this.ds.getRepository(Rectification).find({ where: { roundId: round.id } });
    const ordersOf = new Map<string, Rectification[]>();
    for (const o of orders) (ordersOf.get(o.accountId) ?? ordersOf.set(o.accountId, []).get(o.accountId)!).push(o);
    const problems: ProblemAccount[] = totals.failedAccounts.map(({ sample, findings }) => ({
      unitName: sample.unitName,
      unitLevel: LEVEL_NAMES[sample.unitLevel] ?? sample.unitLevel,
      accountName: sample.accountName,
      platform: platformName(sample.platform),
      problems: findings.map((f) => {
        const title = titles.get(f.item) ?? f.item;
        return f.note && f.note !== title && !f.note.endsWith(title) ? `${title}（${f.note}）` : title;
      }),
      orders: (ordersOf.get(sample.accountId) ?? []).map((o) => ({
        state: o.state,
        deadline: o.deadline,
        overdue: o.state === 'open' && now.getTime() > o.deadline.getTime(),
        answeredLate: o.answeredLate,
      })),
    }));
    const late = new Map<string, { unitName: string; overdue: number; answeredLate: number }>();
    const unitNames = new Map(totals.samples.map((s) => [s.unitId, s.unitName]));
    for (const o of orders) {
      const overdue = o.state === 'open' && now.getTime() > o.deadline.getTime();
      if (!overdue && !o.answeredLate) continue;
      const e =
        late.get(o.unitId) ??
        late.set(o.unitId, { unitName: unitNames.get(o.unitId) ?? o.unitId, overdue: 0, answeredLate: 0 }).get(o.unitId)!;
      if (overdue) e.overdue++;
      else e.answeredLate++;
    }
    return {
      title: `${root.name}关于${periodName(round.period)}政务新媒体抽查情况的通报`,
      rootUnitName: root.name,
      period: round.period,
      generatedAt: now,
      ratio: round.ratio,
      minRatio: round.minRatio,
      byLevel: totals.byLevel,
      byPlatform: totals.byPlatform,
      total: totals.total,
      previous:
        prevRound && previous
          ? { id: prevRound.id, period: prevRound.period, checked: previous.checked, passRate: previous.passRate }
          : null,
      problems,
      lateUnits: [...late.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh')),
      requirements: round.requirements,
    };
  }

  /** Totals of a round: population and sample by level and platform, an account passing when none of its items failed or waits. */
  private async totals(round: SpotCheckRound) {
    const samples = await this.ds.getRepository(SpotCheckSample).find({
      where: { roundId: round.id },
      select: {
        accountId: true,
        drawn: true,
        accountName: true,
        platform: true,
        unitId: true,
        unitName: true,
        unitLevel: true,
        unitPath: true,
      },
      order: { unitPath: 'ASC', platform: 'ASC', accountId: 'ASC' },
    });
    const findings = await this.ds.getRepository(SpotCheckFinding).find({
      where: { roundId: round.id, result: In(['fail', 'pending']) },
      select: { accountId: true, item: true, result: true, note: true },
      order: { item: 'ASC' },
    });
    const failedOf = new Map<string, SpotCheckFinding[]>();
    const pendingOf = new Set<string>();
    for (const f of findings) {
      if (f.result === 'fail') (failedOf.get(f.accountId) ?? failedOf.set(f.accountId, []).get(f.accountId)!).push(f);
      else pendingOf.add(f.accountId);
    }
    const empty = (key: string, label: string): TotalsRow => ({
      key,
      label,
      population: 0,
      checked: 0,
      passed: 0,
      failed: 0,
      pending: 0,
      ratio: 0,
      passRate: 0,
    });
    const level = new Map<string, TotalsRow>();
    const platform = new Map<string, TotalsRow>();
    const total = empty('total', '合计');
    for (const s of samples) {
      const rows = [
        level.get(s.unitLevel) ?? level.set(s.unitLevel, empty(s.unitLevel, LEVEL_NAMES[s.unitLevel] ?? s.unitLevel)).get(s.unitLevel)!,
        platform.get(s.platform) ?? platform.set(s.platform, empty(s.platform, platformName(s.platform))).get(s.platform)!,
        total,
      ];
      for (const r of rows) {
        r.population++;
        if (!s.drawn) continue;
        r.checked++;
        if (failedOf.has(s.accountId)) r.failed++;
        else if (pendingOf.has(s.accountId)) r.pending++;
        else r.passed++;
      }
    }
    const finish = (r: TotalsRow) => ({
      ...r,
      ratio: r.population ? r.checked / r.population : 0,
      passRate: r.checked ? r.passed / r.checked : 0,
    });
    return {
      samples,
      byLevel: [...level.values()].sort((a, b) => LEVEL_ORDER.indexOf(a.key) - LEVEL_ORDER.indexOf(b.key)).map(finish),
      byPlatform: [...platform.values()].sort((a, b) => a.key.localeCompare(b.key)).map(finish),
      total: finish(total),
      failedAccounts: samples
        .filter((s) => s.drawn && failedOf.has(s.accountId))
        .map((s) => ({ sample: s, findings: failedOf.get(s.accountId)! })),
    };
  }

  async xlsx(actor: Actor, id: string): Promise<{ filename: string; buffer: Buffer; data: ReportData }> {
    const d = await this.data(actor, id);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Tongfa';
    const sheet = wb.addWorksheet('通报');
    sheet.columns = [
      { width: 16 },
      { width: 12 },
      { width: 12 },
      { width: 12 },
      { width: 12 },
      { width: 12 },
      { width: 12 },
      { width: 12 },
    ];
    sheet.addRow([d.title]).font = { bold: true, size: 14 };
    sheet.addRow([`生成时间：${formatLocalTime(d.generatedAt)}（北京时间）`]);
    sheet.addRow([]);
    sheet.addRow(['一、总体情况']).font = { bold: true };
    sheet.addRow([overviewText(d)]);
    const table = (title: string, rows: TotalsRow[]) => {
      sheet.addRow([]);
      sheet.addRow([title]).font = { bold: true };
      sheet.addRow(['分类', '账号总数', '抽查数', '抽查比例', '合格', '不合格', '待核查', '合格率']).font = { bold: true };
      for (const r of [...rows, d.total]) {
        sheet.addRow([r.label, r.population, r.checked, pct(r.ratio), r.passed, r.failed, r.pending, pct(r.passRate)]).font =
          r === d.total ? { bold: true } : {};
      }
    };
    table('（一）按单位层级', d.byLevel);
    table('（二）按平台', d.byPlatform);
    sheet.addRow([]);
    sheet.addRow(['二、存在问题']).font = { bold: true };
    for (const line of problemLines(d)) sheet.addRow([line]);
    sheet.addRow([]);
    sheet.addRow(['三、工作要求']).font = { bold: true };
    for (const line of d.requirements.split('\n')) sheet.addRow([line]);
    sheet.addRow([]);
    sheet.addRow(['附件：问题账号清单（见“附件”工作表）']);

    const annex = wb.addWorksheet('附件');
    annex.columns = [
      { header: '序号', key: 'n', width: 6 },
      { header: '单位', key: 'unit', width: 28 },
      { header: '单位层级', key: 'level', width: 10 },
      { header: '账号', key: 'account', width: 24 },
      { header: '平台', key: 'platform', width: 12 },
      { header: '存在问题', key: 'problems', width: 50 },
      { header: '整改期限', key: 'deadline', width: 20 },
      { header: '整改状态', key: 'state', width: 14 },
    ];
    annex.getRow(1).font = { bold: true };
    d.problems.forEach((p, i) =>
      annex.addRow({
        n: i + 1,
        unit: p.unitName,
        level: p.unitLevel,
        account: p.accountName,
        platform: p.platform,
        problems: p.problems.join('；'),
        deadline: p.orders.map((o) => formatLocalTime(o.deadline)).join('；'),
        state: p.orders.length ? p.orders.map(orderState).join('；') : '待下发整改通知',
      }),
    );
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    return { filename: `spot-check-${id}.xlsx`, buffer, data: d };
  }

  async pdf(actor: Actor, id: string): Promise<{ filename: string; buffer: Buffer; data: ReportData }> {
    const d = await this.data(actor, id);
    const buffer = await this.browser.pdf(await reportHtml(d));
    return { filename: `spot-check-${id}.pdf`, buffer, data: d };
  }
}

function periodName(period: string): string {
  const [y, p] = period.split('-');
  return p!.startsWith('Q') ? `${y}年第${'一二三四'[Number(p!.slice(1)) - 1]}季度` : `${y}年${Number(p)}月`;
}

function orderState(o: ProblemAccount['orders'][number]): string {
  if (o.overdue) return '逾期未整改';
  return `${RECT_NAMES[o.state] ?? o.state}${o.answeredLate ? '（逾期回复）' : ''}`;
}

function overviewText(d: ReportData): string {
  const t = d.total;
  let text =
    `本次抽查范围为${d.rootUnitName}及所属单位在用政务新媒体账号 ${t.population} 个，按平台和单位层级分层随机抽取 ${t.checked} 个，` +
    `抽查比例 ${pct(t.ratio)}（不低于要求的 ${pct(d.minRatio)}）；合格 ${t.passed} 个，不合格 ${t.failed} 个` +
    `${t.pending ? `，待核查 ${t.pending} 个` : ''}，合格率 ${pct(t.passRate)}。`;
  if (d.previous) {
    const delta = (t.passRate - d.previous.passRate) * 100;
    text += `与上一轮（${d.previous.period}，抽查 ${d.previous.checked} 个，合格率 ${pct(d.previous.passRate)}）相比，合格率${
      Math.abs(delta) < 0.05 ? '持平' : `${delta > 0 ? '上升' : '下降'} ${Math.abs(delta).toFixed(1)} 个百分点`
    }。`;
  } else {
    text += '本级此前无抽查轮次可比较。';
  }
  return text;
}

function problemLines(d: ReportData): string[] {
  if (!d.problems.length) return ['本次抽查未发现不合格账号。'];
  const lines = d.problems.map((p, i) => `${i + 1}. ${p.unitName}“${p.accountName}”（${p.platform}）：${p.problems.join('；')}。`);
  if (d.lateUnits.length) {
    lines.push(
      `逾期整改单位：${d.lateUnits
        .map(
          (u) =>
            `${u.unitName}（${[u.overdue ? `逾期未整改 ${u.overdue} 项` : '', u.answeredLate ? `逾期回复 ${u.answeredLate} 项` : ''].filter(Boolean).join('，')}）`,
        )
        .join('、')}。`,
    );
  }
  return lines;
}

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The pass rate of each platform as a bar chart, rendered to SVG on the server (no browser script). */
export async function passRateChart(rows: TotalsRow[]): Promise<string> {
  // Loaded on first use, like the browser: most processes never draw a chart.
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 260 });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' },
      title: { text: '各平台抽查合格率', left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: rows.map((r) => r.label) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => Math.round(r.passRate * 1000) / 10),
          label: { show: true, position: 'top', formatter: '{c}%' },
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The 通报 as a static HTML document: every text escaped, no script, CJK fonts from fonts-noto-cjk. */
export async function reportHtml(d: ReportData): Promise<string> {
  const chart = await passRateChart(d.byPlatform);
  const table = (caption: string, rows: TotalsRow[]) =>
    `<table><caption>${esc(caption)}</caption><thead><tr><th>分类</th><th>账号总数</th><th>抽查数</th><th>抽查比例</th><th>合格</th><th>不合格</th><th>待核查</th><th>合格率</th></tr></thead><tbody>` +
    [...rows, d.total]
      .map(
        (r) =>
          `<tr${r === d.total ? ' class="total"' : ''}><td>${esc(r.label)}</td><td>${r.population}</td><td>${r.checked}</td><td>${pct(r.ratio)}</td><td>${r.passed}</td><td>${r.failed}</td><td>${r.pending}</td><td>${pct(r.passRate)}</td></tr>`,
      )
      .join('') +
    '</tbody></table>';
  const annex = d.problems.length
    ? `<table><thead><tr><th>序号</th><th>单位</th><th>账号</th><th>平台</th><th>存在问题</th><th>整改状态</th></tr></thead><tbody>${d.problems
        .map(
          (p, i) =>
            `<tr><td>${i + 1}</td><td>${esc(p.unitName)}</td><td>${esc(p.accountName)}</td><td>${esc(p.platform)}</td><td>${esc(p.problems.join('；'))}</td><td>${esc(
              p.orders.length ? p.orders.map(orderState).join('；') : '待下发整改通知',
            )}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>无。</p>';
  return (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>' +
    esc(d.title) +
    '</title><style>' +
    'body{font-family:"Noto Sans CJK SC","Noto Serif CJK SC",sans-serif;font-size:11pt;line-height:1.7;color:#000}' +
    'h1{font-size:18pt;text-align:center;margin:0 0 4mm}h2{font-size:13pt;margin:6mm 0 2mm}.meta{text-align:center;color:#444;font-size:9pt}' +
    'table{border-collapse:collapse;width:100%;margin:2mm 0 4mm;font-size:9.5pt}th,td{border:1px solid #555;padding:1mm 2mm;text-align:center}' +
    'caption{text-align:left;font-weight:bold;margin-bottom:1mm}tr.total td{font-weight:bold}.chart{text-align:center}.annex{page-break-before:always}p{margin:1mm 0;text-indent:2em}' +
    '</style></head><body>' +
    `<h1>${esc(d.title)}</h1><p class="meta">生成时间：${esc(formatLocalTime(d.generatedAt))}（北京时间）</p>` +
    `<h2>一、总体情况</h2><p>${esc(overviewText(d))}</p>` +
    table('（一）按单位层级', d.byLevel) +
    table('（二）按平台', d.byPlatform) +
    `<div class="chart">${chart}</div>` +
    `<h2>二、存在问题</h2>${problemLines(d)
      .map((l) => `<p>${esc(l)}</p>`)
      .join('')}` +
    `<h2>三、工作要求</h2>${d.requirements
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `<p>${esc(l)}</p>`)
      .join('')}` +
    `<section class="annex"><h2>附件：问题账号清单</h2>${annex}</section>` +
    '</body></html>'
  );
}
