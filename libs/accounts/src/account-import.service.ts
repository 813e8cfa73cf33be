import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { DataSource, In } from 'typeorm';
import {
  assertSafeXlsx,
  cellText,
  Clock,
  CommonError,
  CommonException,
  DEFAULT_XLSX_LIMITS,
  ErrorDetail,
  newId,
  ownValue,
  parseSheetDate,
  XlsxLimits,
} from '@tongfa/core';
import { pathInScope } from '@tongfa/database';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { Account, AccountApproval, AccountConnection, AccountStatus } from './entities';
import { AccountError, AccountException } from './accounts.exception';
import { PlatformCatalog } from './platform-catalog';
import { AccountsService, STATUS_ZH } from './accounts.service';

/** Column headings of the inventory sheet, as provinces collected it in 2019 (English accepted too). */
const COLUMNS = {
  creditCode: ['主办单位统一社会信用代码', '统一社会信用代码', 'creditCode'],
  platform: ['平台', 'platform'],
  name: ['账号名称', 'name'],
  platformAccountId: ['平台账号ID', '账号ID', 'platformAccountId'],
  verifiedSubject: ['认证主体', 'verifiedSubject'],
  openedAt: ['开设日期', '开通时间', 'openedAt'],
  status: ['状态', 'status'],
  exceptionReason: ['例外说明', 'exceptionReason'],
} as const;

type Column = keyof typeof COLUMNS;

/** A province's whole inventory fits in one sheet; anything larger is split by the importer. */
const IMPORT_LIMITS: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, maxRows: 10_000 };

const PLATFORM_ALIASES: Record<string, string> = {
  微博: 'weibo',
  新浪微博: 'weibo',
  微信: 'wechat',
  微信公众号: 'wechat',
  公众号: 'wechat',
  抖音: 'douyin',
  头条: 'toutiao',
  今日头条: 'toutiao',
  头条号: 'toutiao',
  南方号: 'nanfang',
  南方plus: 'nanfang',
  客户端: 'own-app',
  自有客户端: 'own-app',
};

const STATUS_ALIASES: Record<string, AccountStatus> = {
  正常: AccountStatus.Active,
  运营: AccountStatus.Active,
  运营中: AccountStatus.Active,
  active: AccountStatus.Active,
  关停: AccountStatus.Suspended,
  暂停: AccountStatus.Suspended,
  suspended: AccountStatus.Suspended,
  注销: AccountStatus.Cancelled,
  已注销: AccountStatus.Cancelled,
  cancelled: AccountStatus.Cancelled,
};

export interface ImportError extends ErrorDetail {
  row: number;
}

export interface ImportResult {
  imported: number;
  accountIds: string[];
  /** Rows that became applications awaiting a supervisor's approval. */
  pendingApproval: number;
}

/**
 * Imports an existing account inventory from an Excel sheet. Every row is validated first; one
 * bad row rejects the whole file with every error listed by row and column, and nothing is
 * written. A sheet is only the importer's word: every live row becomes an application (待审批)
 * that a supervisor above the unit approves like any new account, keeping the sheet's opening
 * date; a row already cancelled is kept as a closed record, which can do nothing.
 */
@Injectable()
export class AccountImportService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly platforms: PlatformCatalog,
    private readonly accounts: AccountsService,
  ) {}

  /** Only someone who may register accounts somewhere may send a sheet (asked before it is read). */
  assertCanImport(actor: Actor): void {
    if (actor.scope(Permission.AccountWrite).length === 0) throw new CommonException(CommonError.Forbidden);
  }

  async import(actor: Actor, file: Buffer): Promise<ImportResult> {
    this.assertCanImport(actor);
    // Before exceljs inflates anything: a few hundred kilobytes of zip must not become gigabytes.
    try {
      await assertSafeXlsx(file, IMPORT_LIMITS);
    } catch (e) {
      if (e instanceof CommonException && e.code === CommonError.SpreadsheetUnreadable) {
        throw new AccountException(AccountError.ImportUnreadable, { reason: String(e.params.reason) });
      }
      throw e;
    }
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(file as unknown as ArrayBuffer);
    } catch (e) {
      throw new AccountException(AccountError.ImportUnreadable, { reason: e instanceof Error ? e.message.slice(0, 100) : 'unknown' });
    }
    const sheet = wb.worksheets[0];
    if (!sheet) throw new AccountException(AccountError.ImportUnreadable, { reason: 'no worksheet' });
    const header = sheet.getRow(1);
    const colOf = new Map<Column, number>();
    header.eachCell((cell, col) => {
      const text = cellText(cell.value);
      for (const [key, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) if (names.includes(text)) colOf.set(key, col);
    });
    const errors: ImportError[] = [];
    for (const required of ['creditCode', 'platform', 'name'] as Column[]) {
      if (!colOf.has(required)) errors.push({ row: 1, field: required, message: `缺少列“${COLUMNS[required][0]}” / missing column` });
    }
    if (errors.length) throw new AccountException(AccountError.ImportInvalid, { count: errors.length }, errors);

    interface Parsed {
      row: number;
      creditCode: string;
      platform: string;
      name: string;
      platformAccountId: string | null;
      verifiedSubject: string | null;
      openedAt: Date | null;
      status: AccountStatus;
      exceptionReason: string | null;
    }
    const parsed: Parsed[] = [];
    const now = this.clock.now();
    sheet.eachRow((r, rowNumber) => {
      if (rowNumber === 1) return;
      const get = (c: Column) => (colOf.has(c) ? r.getCell(colOf.get(c)!).value : null);
      if ([...colOf.values()].every((c) => cellText(r.getCell(c).value) === '')) return; // blank line
      const err = (field: Column, message: string) => errors.push({ row: rowNumber, field, message });
      const creditCode = cellText(get('creditCode')).toUpperCase();
      const platformRaw = cellText(get('platform'));
      const platform = ownValue(PLATFORM_ALIASES, platformRaw) ?? platformRaw.toLowerCase();
      const name = cellText(get('name'));
      const statusRaw = cellText(get('status'));
      const status = statusRaw ? ownValue(STATUS_ALIASES, statusRaw.toLowerCase()) : AccountStatus.Active;
      const openedRaw = get('openedAt');
      const openedAt = openedRaw ? parseSheetDate(openedRaw) : null;
      if (!creditCode) err('creditCode', '主办单位统一社会信用代码为空 / empty');
      if (!this.platforms.ids().includes(platform)) err('platform', `未知平台“${platformRaw}” / unknown platform`);
      if (!name) err('name', '账号名称为空 / empty');
      if (name.length > 100) err('name', '账号名称超过 100 字 / longer than 100 characters');
      if (!status) err('status', `未知状态“${statusRaw}”，应为 正常/关停/注销 / unknown status`);
      if (openedRaw && !openedAt) err('openedAt', `无法识别的日期“${cellText(openedRaw)}” / unreadable date`);
      if (openedAt && openedAt.getTime() > now.getTime()) err('openedAt', '开设日期晚于今天 / in the future');
      parsed.push({
        row: rowNumber,
        creditCode,
        platform,
        name,
        platformAccountId: cellText(get('platformAccountId')) || null,
        verifiedSubject: cellText(get('verifiedSubject')) || null,
        openedAt,
        status: status ?? AccountStatus.Active,
        exceptionReason: cellText(get('exceptionReason')) || null,
      });
    });
    if (parsed.length === 0 && errors.length === 0) errors.push({ row: 2, field: 'name', message: '表格没有数据行 / no data rows' });

    return this.ds.transaction(async (m) => {
      const codes = [...new Set(parsed.map((p) => p.creditCode).filter(Boolean))];
      const units = codes.length ? await m.find(Unit, { where: { creditCode: In(codes) } }) : [];
      const unitByCode = new Map(units.map((u) => [u.creditCode, u]));
      const writable = actor.scope(Permission.AccountWrite);
      const live = units.length
        ? await m.find(Account, {
            where: {
              unitId: In(units.map((u) => u.id)),
              status: In([AccountStatus.Applying, AccountStatus.Opened, AccountStatus.Active, AccountStatus.Suspended]),
            },
            select: { unitId: true, platform: true, platformAccountId: true },
          })
        : [];
      const seen = new Map<string, number>();
      for (const a of live) seen.set(`${a.unitId}|${a.platform}`, (seen.get(`${a.unitId}|${a.platform}`) ?? 0) + 1);
      const ids = new Set(live.filter((a) => a.platformAccountId).map((a) => `${a.platform}|${a.platformAccountId}`));
      for (const p of parsed) {
        const unit = unitByCode.get(p.creditCode);
        if (p.creditCode && (!unit || !pathInScope(unit.path, writable))) {
          errors.push({
            row: p.row,
            field: 'creditCode',
            message: `找不到管辖范围内代码为 ${p.creditCode} 的单位 / no unit in your scope has this code`,
          });
          continue;
        }
        if (!unit) continue;
        if (p.platformAccountId) {
          const key = `${p.platform}|${p.platformAccountId}`;
          if (ids.has(key)) errors.push({ row: p.row, field: 'platformAccountId', message: '该平台账号已登记 / already registered' });
          ids.add(key);
        }
        if (p.status !== AccountStatus.Cancelled) {
          const key = `${unit.id}|${p.platform}`;
          const n = (seen.get(key) ?? 0) + 1;
          seen.set(key, n);
          if (n > 1 && !p.exceptionReason) {
            errors.push({
              row: p.row,
              field: 'platform',
              message: '该单位在此平台已有账号，须填写“例外说明” / second account on the platform needs an exception reason',
            });
          }
        }
      }
      if (errors.length) {
        errors.sort((a, b) => a.row - b.row);
        throw new AccountException(AccountError.ImportInvalid, { count: errors.length }, errors);
      }
      const accountIds: string[] = [];
      let pendingApproval = 0;
      for (const p of parsed) {
        const unit = unitByCode.get(p.creditCode)!;
        const id = newId();
        accountIds.push(id);
        const closed = p.status === AccountStatus.Cancelled;
        await m.insert(Account, {
          id,
          unitId: unit.id,
          unitPath: unit.path,
          platform: p.platform,
          name: p.name,
          platformAccountId: p.platformAccountId,
          profileName: null,
          verifiedSubject: p.verifiedSubject,
          avatarUrl: null,
          followers: null,
          profileCheckedAt: null,
          status: closed ? AccountStatus.Cancelled : AccountStatus.Applying,
          connection: AccountConnection.None,
          exceptionReason: p.exceptionReason,
          namingIssues: null,
          lastPostAt: null,
          openedAt: p.openedAt,
          closedAt: closed ? now : null,
          createdBy: actor.userId,
        });
        if (closed) continue;
        pendingApproval++;
        await m.insert(AccountApproval, {
          id: newId(),
          accountId: id,
          unitPath: unit.path,
          requestedBy: actor.userId,
          reason:
            `导入存量账号（第 ${p.row} 行，表中状态：${STATUS_ZH[p.status]}）/ imported inventory row ${p.row}` +
            (p.exceptionReason ? `；例外说明：${p.exceptionReason}` : ''),
          exception: !!p.exceptionReason,
          decision: 'pending',
          decidedBy: null,
          decidedAt: null,
          comment: null,
        });
      }
      for (const unitId of new Set(parsed.map((p) => unitByCode.get(p.creditCode)!.id))) await this.accounts.recheckNaming(m, unitId);
      return { imported: accountIds.length, accountIds, pendingApproval };
    });
  }
}
