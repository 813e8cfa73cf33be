import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { DataSource, In } from 'typeorm';
import { assertSafeXlsx, cellText, CommonError, CommonException, DEFAULT_XLSX_LIMITS, ErrorDetail, parseSheetDate } from '@tongfa/core';
import { whereInScope } from '@tongfa/database';
import { Actor, Permission, Unit } from '@tongfa/identity';
import { QaCategory, QaEntry, QaEntryVersion } from './entities';
import { KnowledgeError, KnowledgeException } from './knowledge.exception';
import { QaEntriesService, QaEntryInput } from './qa-entries.service';

/** Entries per import (信阳's rule for its knowledge base: batches of at most 1,000). */
export const QA_IMPORT_MAX_ROWS = 1000;
const EXPORT_MAX_ROWS = 20_000;

const COLUMNS = {
  question: ['标准问题', '问题', 'question'],
  similarQuestions: ['相似问题', 'similarQuestions'],
  answer: ['答案', 'answer'],
  category: ['分类', 'category'],
  keywords: ['关键词', 'keywords'],
  policyTitle: ['政策依据', '政策文件', 'policyTitle'],
  docNumber: ['文号', 'docNumber'],
  policyUrl: ['政策链接', 'policyUrl'],
  effectiveFrom: ['生效日期', 'effectiveFrom'],
  effectiveUntil: ['失效日期', 'effectiveUntil'],
  newMedia: ['新媒体答案', 'newMedia'],
  web: ['网站答案', 'web'],
  hotline: ['热线答案', 'hotline'],
  overridesEntryId: ['替代答问ID', 'overridesEntryId'],
} as const;
type Column = keyof typeof COLUMNS;

export interface QaImportError extends ErrorDetail {
  row: number;
}

const split = (s: string, by: RegExp) =>
  s
    .split(by)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Import and export of 答问 as xlsx (exceljs). An import is all or nothing: every row is checked
 * first and any error refuses the whole file, naming the row and the column; the entries are then
 * written and sent to review in one transaction.
 */
@Injectable()
export class QaSpreadsheetService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly entries: QaEntriesService,
  ) {}

  /** Only an editor somewhere may send a sheet (asked before it is read). */
  assertCanImport(actor: Actor): void {
    if (!actor.can(Permission.QaWrite)) throw new CommonException(CommonError.Forbidden);
  }

  async import(actor: Actor, file: Buffer, unitId?: string): Promise<{ imported: number; entryIds: string[] }> {
    this.assertCanImport(actor);
    await assertSafeXlsx(file, { ...DEFAULT_XLSX_LIMITS, maxRows: QA_IMPORT_MAX_ROWS * 2 });
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(file as unknown as ArrayBuffer);
    } catch {
      throw new CommonException(CommonError.SpreadsheetUnreadable, { reason: 'xlsx' });
    }
    const sheet = wb.worksheets[0];
    if (!sheet) throw new CommonException(CommonError.SpreadsheetUnreadable, { reason: 'no worksheet' });
    const colOf = new Map<Column, number>();
    sheet.getRow(1).eachCell((cell, col) => {
      const text = cellText(cell.value);
      for (const [key, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) if (names.includes(text)) colOf.set(key, col);
    });
    const errors: QaImportError[] = [];
    for (const required of ['question', 'answer'] as Column[]) {
      if (!colOf.has(required)) errors.push({ row: 1, field: required, message: `缺少列“${COLUMNS[required][0]}” / missing column` });
    }
    if (errors.length) throw new KnowledgeException(KnowledgeError.ImportInvalid, { count: errors.length }, errors);

    const unit = await this.entries.editorUnit(this.ds.manager, actor, unitId);
    const categories = await this.ds.getRepository(QaCategory).find();
    const rows: { row: number; input: QaEntryInput }[] = [];
    sheet.eachRow((r, rowNumber) => {
      if (rowNumber === 1) return;
      const text = (c: Column) => (colOf.has(c) ? cellText(r.getCell(colOf.get(c)!).value) : '');
      if ([...colOf.values()].every((c) => cellText(r.getCell(c).value) === '')) return; // a blank line
      const err = (field: Column, message: string) => errors.push({ row: rowNumber, field, message });
      const question = text('question');
      const answer = text('answer');
      if (!question) err('question', '标准问题为空 / empty');
      if (question.length > 300) err('question', '标准问题超过 300 字 / longer than 300 characters');
      if (!answer) err('answer', '答案为空 / empty');
      const categoryRaw = text('category');
      const category = categoryRaw
        ? categories.find((c) => c.id === categoryRaw || c.pathName === categoryRaw || c.name === categoryRaw)
        : null;
      if (categoryRaw && !category) err('category', `未知分类“${categoryRaw}” / unknown category`);
      const date = (c: Column) => {
        const v = colOf.has(c) ? r.getCell(colOf.get(c)!).value : null;
        if (v === null || v === undefined || cellText(v) === '') return null;
        const d = parseSheetDate(v);
        if (!d) err(c, `无法识别的日期“${cellText(v)}” / unreadable date`);
        return d;
      };
      const effectiveFrom = date('effectiveFrom');
      const effectiveUntil = date('effectiveUntil');
      if (effectiveFrom && effectiveUntil && effectiveUntil <= effectiveFrom)
        err('effectiveUntil', '失效日期须晚于生效日期 / before effectiveFrom');
      const policyTitle = text('policyTitle');
      rows.push({
        row: rowNumber,
        input: {
          question,
          answer,
          similarQuestions: split(text('similarQuestions'), /[\n|｜;；]/),
          keywords: split(text('keywords'), /[\n,，;；、\s]/),
          category: category?.id ?? null,
          policyBasis: policyTitle ? [{ title: policyTitle, docNumber: text('docNumber') || null, url: text('policyUrl') || null }] : [],
          effectiveFrom,
          effectiveUntil,
          channelAnswers: { newMedia: text('newMedia') || null, web: text('web') || null, hotline: text('hotline') || null },
          overridesEntryId: text('overridesEntryId') || null,
          unitId: unit.id,
        },
      });
    });
    if (rows.length > QA_IMPORT_MAX_ROWS) throw new KnowledgeException(KnowledgeError.ImportTooLarge, { max: QA_IMPORT_MAX_ROWS });
    await this.checkOverrides(unit, rows, errors);
    if (errors.length) throw new KnowledgeException(KnowledgeError.ImportInvalid, { count: errors.length }, errors);
    if (rows.length === 0) {
      const none: QaImportError = { row: 2, field: 'question', message: '没有数据行 / no rows' };
      throw new KnowledgeException(KnowledgeError.ImportInvalid, { count: 1 }, [none]);
    }
    const entryIds = await this.ds.transaction(async (m) => {
      const ids: string[] = [];
      for (const { input } of rows) {
        const view = await this.entries.create(actor, input, m);
        // Imported entries go to review like any other edit.
        await this.entries.submit(actor, view.id, m);
        ids.push(view.id);
      }
      return ids;
    });
    return { imported: entryIds.length, entryIds };
  }

  /** The entries in the caller's read scope with their current versions, as a sheet the import reads back. */
  async export(actor: Actor): Promise<Buffer> {
    const qb = this.ds.getRepository(QaEntry).createQueryBuilder('e');
    whereInScope(qb, 'e.unitPath', actor.scope(Permission.QaRead));
    const entries = await qb.orderBy('e.unitPath', 'ASC').addOrderBy('e.createdAt', 'ASC').take(EXPORT_MAX_ROWS).getMany();
    const versions = new Map<string, QaEntryVersion>();
    const ids = entries.map((e) => e.currentVersionId);
    for (let i = 0; i < ids.length; i += 500) {
      for (const v of await this.ds.getRepository(QaEntryVersion).find({ where: { id: In(ids.slice(i, i + 500)) } })) versions.set(v.id, v);
    }
    const categories = new Map((await this.ds.getRepository(QaCategory).find()).map((c) => [c.id, c.pathName]));
    const unitIds = [...new Set(entries.map((e) => e.unitId))];
    const units = new Map(
      (unitIds.length ? await this.ds.getRepository(Unit).find({ where: { id: In(unitIds) } }) : []).map((u) => [u.id, u.name]),
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('答问');
    ws.addRow(['ID', '单位', '状态', ...Object.values(COLUMNS).map((names) => names[0])]);
    const day = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '');
    for (const e of entries) {
      const v = versions.get(e.currentVersionId)!;
      const basis = v.policyBasis[0];
      ws.addRow([
        e.id,
        units.get(e.unitId) ?? '',
        e.status,
        v.question,
        v.similarQuestions.join('\n'),
        v.answerHtml,
        v.categoryId ? (categories.get(v.categoryId) ?? '') : '',
        v.keywords.join('、'),
        basis?.title ?? '',
        basis?.docNumber ?? '',
        basis?.url ?? '',
        day(v.effectiveFrom),
        day(v.effectiveUntil),
        v.channelAnswers.newMedia ?? '',
        v.channelAnswers.web ?? '',
        v.channelAnswers.hotline ?? '',
        v.overridesEntryId ?? '',
      ]);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** An override must name a published entry of an ancestor of the importing unit. */
  private async checkOverrides(unit: Unit, rows: { row: number; input: QaEntryInput }[], errors: QaImportError[]): Promise<void> {
    const ids = [...new Set(rows.map((r) => r.input.overridesEntryId).filter((v): v is string => !!v))];
    const targets = ids.length
      ? await this.ds.getRepository(QaEntry).find({ where: { id: In(ids.filter((x) => /^[0-9a-f-]{36}$/i.test(x))) } })
      : [];
    for (const { row, input } of rows) {
      if (!input.overridesEntryId) continue;
      const t = targets.find((x) => x.id === input.overridesEntryId);
      if (!t || !t.liveVersionId || t.unitPath === unit.path || !unit.path.startsWith(t.unitPath)) {
        errors.push({
          row,
          field: 'overridesEntryId',
          message: '须为上级单位已发布的答问 / must be a published entry of an ancestor unit',
        });
      }
    }
  }
}
