import type { DataSource } from 'typeorm';
import { containsPattern } from '@tongfa/database';
import type { Message } from '@tongfa/core';

/** What each recorded decision means to an auditor; codes stay in the record, people read these. */
export const ACTION_LABELS: Record<string, Message> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.login.throttled': { zh: '登录尝试过于频繁被拒绝', en: 'Sign-in refused by the rate limit' },
  'auth.logout': { zh: '退出登录', en: 'Sign-out' },
  'auth.oidc.login': { zh: '统一身份认证登录', en: 'Single sign-on' },
  'auth.oidc.ticket': { zh: '统一身份认证票据兑换', en: 'Single sign-on ticket' },
  'auth.oidc_provider.login': { zh: '为其他应用登录', en: 'Sign-in for another app' },
  'auth.password.change': { zh: '修改本人密码', en: 'Own password changed' },
  'auth.totp.enable': { zh: '启用动态口令', en: 'Second factor enabled' },
  'auth.totp.disable': { zh: '解除动态口令', en: 'Second factor removed' },
  'user.create': { zh: '创建用户', en: 'User created' },
  'user.update': { zh: '修改用户', en: 'User changed' },
  'user.roles.set': { zh: '设置用户角色', en: 'User roles set' },
  'user.password.reset': { zh: '重置用户密码', en: 'User password reset' },
  'user.unlock': { zh: '解锁用户', en: 'User unlocked' },
  'unit.create': { zh: '创建单位', en: 'Unit created' },
  'unit.update': { zh: '修改单位', en: 'Unit changed' },
  'unit.path': { zh: '调整单位隶属关系', en: 'Unit moved' },
  'apikey.create': { zh: '创建接口密钥', en: 'API key created' },
  'apikey.revoke': { zh: '吊销接口密钥', en: 'API key revoked' },
  'account.apply': { zh: '申请开设账号', en: 'Account applied for' },
  'account.approve': { zh: '批准开设账号', en: 'Account approved' },
  'account.reject': { zh: '驳回开设账号', en: 'Account rejected' },
  'account.update': { zh: '修改账号', en: 'Account changed' },
  'account.import': { zh: '批量导入账号', en: 'Accounts imported' },
  'account.connect': { zh: '连接平台账号', en: 'Account connected' },
  'account.sandbox': { zh: '切换账号沙箱/真实平台', en: 'Account pointed at the sandbox or the real platform' },
  'account.connect_start': { zh: '发起平台授权', en: 'Authorisation started' },
  'account.refresh': { zh: '刷新账号授权', en: 'Account token refreshed' },
  'account.needs_reauth': { zh: '账号授权失效', en: 'Account needs re-authorisation' },
  'filing.file': { zh: '提交备案', en: 'Filing submitted' },
  'plugin.app_credentials': { zh: '设置平台应用凭据', en: 'Platform app credentials set' },
  'manuscript.create': { zh: '新建稿件', en: 'Manuscript created' },
  'manuscript.update': { zh: '修改稿件', en: 'Manuscript edited' },
  'manuscript.submit': { zh: '稿件送审', en: 'Manuscript submitted' },
  'manuscript.reopen': { zh: '稿件退回修改', en: 'Manuscript reopened' },
  'manuscript.plan': { zh: '设定计划发布时间', en: 'Planned publishing time set' },
  'review.approve': { zh: '审核通过', en: 'Review approved' },
  'review.reject': { zh: '审核退回', en: 'Review rejected' },
  'review.escalate': { zh: '审核超时提醒', en: 'Review escalated' },
  'publication.create': { zh: '发起发布', en: 'Publication requested' },
  'publication.publish': { zh: '发布到平台', en: 'Published to a platform' },
  'publication.poll': { zh: '核实发布结果', en: 'Publish result checked' },
  'publication.edit': { zh: '修改已发布内容', en: 'Published post edited' },
  'publication.correct': { zh: '更正已发布稿件', en: 'Publication corrected' },
  'publication.retract': { zh: '撤回发布', en: 'Publication retracted' },
  'publication.target.retry': { zh: '重试单个平台发布', en: 'One platform retried' },
  'publication.target.retract': { zh: '撤回单个平台', en: 'One platform retracted' },
  'publication.schedule': { zh: '调整定时发布时间', en: 'Scheduled time moved' },
  'media.upload': { zh: '上传素材', en: 'Media uploaded' },
  'media.update': { zh: '修改素材说明', en: 'Media caption edited' },
  'alert.ack': { zh: '确认告警', en: 'Alert acknowledged' },
  'alert.resolve': { zh: '处置完毕告警', en: 'Alert resolved' },
  'notification.channel.create': { zh: '添加通知机器人', en: 'Notification bot added' },
  'notification.channel.update': { zh: '修改通知机器人', en: 'Notification bot changed' },
  'notification.channel.delete': { zh: '删除通知机器人', en: 'Notification bot removed' },
  'lexicon.import': { zh: '导入敏感词库', en: 'Lexicon imported' },
  'lexicon.publish': { zh: '发布敏感词库', en: 'Lexicon published' },
  'inbox.reply.create': { zh: '回复群众留言', en: 'Reply to a citizen written' },
  'inbox.reply.blocked': { zh: '回复被合规检查拦截', en: 'Reply blocked by the compliance check' },
  'inbox.reply.approve': { zh: '审核通过回复', en: 'Reply approved' },
  'inbox.reply.reject': { zh: '审核退回回复', en: 'Reply rejected' },
  'inbox.reply.arrived': { zh: '核实回复已送达', en: 'Unconfirmed reply checked: it arrived' },
  'inbox.reply.resend': { zh: '核实回复未送达并重新发送', en: 'Unconfirmed reply checked: sent again' },
  'inbox.thread.assign': { zh: '指派互动会话', en: 'Thread assigned' },
  'inbox.thread.close': { zh: '办结互动会话', en: 'Thread closed' },
  'inbox.note.create': { zh: '添加内部备注', en: 'Internal note added' },
  'inbox.settings.update': { zh: '修改单位互动设置', en: 'Inbox settings changed' },
  'inbox.webhook.rejected': { zh: '拒收平台推送（验签失败等）', en: 'Platform push refused (bad signature etc.)' },
  'duty.schedule.update': { zh: '修改值班安排', en: 'Duty schedule changed' },
  'duty.override.create': { zh: '添加临时替班', en: 'Duty override added' },
  'duty.override.delete': { zh: '删除临时替班', en: 'Duty override removed' },
  'duty.log.export': { zh: '导出值班记录', en: 'Duty log exported' },
  'spot_check.create': { zh: '发起抽查', en: 'Spot-check round opened' },
  'spot_check.finding': { zh: '记录抽查结果', en: 'Spot-check finding recorded' },
  'spot_check.requirements': { zh: '修改通报工作要求', en: 'Spot-check requirements edited' },
  'spot_check.report': { zh: '导出抽查通报', en: 'Spot-check report exported' },
  'rectification.create': { zh: '下发整改通知', en: 'Rectification order issued' },
  'rectification.respond': { zh: '回复整改情况', en: 'Rectification answered' },
  'rectification.close': { zh: '整改复核销号', en: 'Rectification closed after re-check' },
  'rectification.reopen': { zh: '整改退回重改', en: 'Rectification reopened' },
  'rectification.escalate': { zh: '整改上报', en: 'Rectification escalated' },
  'campaign.create': { zh: '发起联动任务', en: 'Campaign issued' },
  'campaign.close': { zh: '结束联动任务', en: 'Campaign closed' },
  'campaign.report': { zh: '下载联动任务报表', en: 'Campaign report downloaded' },
  'campaign.assignment.accept': { zh: '接受联动任务', en: 'Assignment accepted' },
  'campaign.assignment.complete': { zh: '完成联动任务', en: 'Assignment completed' },
  'campaign.assignment.evidence': { zh: '提交联动转发链接', en: 'Relay link submitted' },
  'campaign.assignment.overdue': { zh: '联动任务逾期', en: 'Assignment overdue' },
  'campaign.exemption.request': { zh: '申请联动任务豁免', en: 'Exemption requested' },
  'campaign.exemption.decide': { zh: '审批联动任务豁免', en: 'Exemption decided' },
  'campaign.relay.publish': { zh: '发布联动转发稿', en: 'Relay published' },
  'campaign.relays.retract': { zh: '撤回联动转发', en: 'Relays retracted' },
  'campaign.trust.on': { zh: '开启联动免审规则', en: 'Campaign trust rule on' },
  'campaign.trust.off': { zh: '关闭联动免审规则', en: 'Campaign trust rule off' },
  'qa.create': { zh: '新建答问', en: 'Q&A entry created' },
  'qa.update': { zh: '修改答问', en: 'Q&A entry edited' },
  'qa.submit': { zh: '答问送审', en: 'Q&A entry submitted' },
  'qa.approve': { zh: '答问审核通过', en: 'Q&A entry approved' },
  'qa.reject': { zh: '答问审核退回', en: 'Q&A entry rejected' },
  'qa.archive': { zh: '归档答问', en: 'Q&A entry archived' },
  'qa.import': { zh: '批量导入答问', en: 'Q&A entries imported' },
  'qa.synonyms': { zh: '修改同义词表', en: 'Synonym table changed' },
  'qa.category.create': { zh: '新建答问分类', en: 'Q&A category created' },
  'qa.policy.repeal': { zh: '标记政策文件废止', en: 'Policy document repealed' },
  'audit.purge': { zh: '清理过期审计记录', en: 'Expired audit entries purged' },
  'audit.export': { zh: '导出审计日志', en: 'Audit log exported' },
};

const HTTP_VERBS: Record<string, Message> = {
  post: { zh: '提交', en: 'POST' },
  put: { zh: '保存', en: 'PUT' },
  patch: { zh: '修改', en: 'PATCH' },
  delete: { zh: '删除', en: 'DELETE' },
};

const DOMAINS: Record<string, Message> = {
  auth: { zh: '登录认证', en: 'Sign-in' },
  user: { zh: '用户', en: 'User' },
  unit: { zh: '单位', en: 'Unit' },
  account: { zh: '账号', en: 'Account' },
  manuscript: { zh: '稿件', en: 'Manuscript' },
  review: { zh: '审核', en: 'Review' },
  publication: { zh: '发布', en: 'Publication' },
  campaign: { zh: '联动任务', en: 'Campaign' },
  assignment: { zh: '联动任务分派', en: 'Assignment' },
  qa: { zh: '答问库', en: 'Q&A library' },
};

/** The label of an action; a request recorded without a domain record reads as its verb and route. */
export function actionLabel(action: string, route?: string | null): Message {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const http = /^http\.(\w+)$/.exec(action);
  if (http) {
    const verb = HTTP_VERBS[http[1]!] ?? { zh: http[1]!.toUpperCase(), en: http[1]!.toUpperCase() };
    return { zh: `接口请求：${verb.zh} ${route ?? ''}`.trim(), en: `Request: ${verb.en} ${route ?? ''}`.trim() };
  }
  const domain = DOMAINS[action.split('.')[0]!];
  return domain ? { zh: `${domain.zh}：${action}`, en: `${domain.en}: ${action}` } : { zh: action, en: action };
}

/** Action codes whose label or code contains the text a person typed (Chinese or English). */
export function actionsMatching(text: string): string[] {
  const t = text.trim().toLowerCase();
  if (!t) return [];
  return Object.entries(ACTION_LABELS)
    .filter(([code, m]) => code.includes(t) || m.zh.includes(t) || m.en.toLowerCase().includes(t))
    .map(([code]) => code);
}

export const TARGET_TYPE_LABELS: Record<string, Message> = {
  user: { zh: '用户', en: 'User' },
  unit: { zh: '单位', en: 'Unit' },
  account: { zh: '账号', en: 'Account' },
  manuscript: { zh: '稿件', en: 'Manuscript' },
  publication: { zh: '发布', en: 'Publication' },
  media: { zh: '素材', en: 'Media' },
  api_key: { zh: '接口密钥', en: 'API key' },
  filing: { zh: '备案', en: 'Filing' },
  duty_alert: { zh: '告警', en: 'Alert' },
  notification_channel: { zh: '通知机器人', en: 'Notification bot' },
  session: { zh: '会话', en: 'Session' },
  plugin: { zh: '平台插件', en: 'Plugin' },
  route: { zh: '接口', en: 'Route' },
  lexicon_version: { zh: '词库版本', en: 'Lexicon version' },
  review_chain_minimum: { zh: '最低审核要求', en: 'Review minimum' },
  oidc_client: { zh: '接入应用', en: 'Connected app' },
  audit: { zh: '审计日志', en: 'Audit log' },
  campaign: { zh: '联动任务', en: 'Campaign' },
  campaign_assignment: { zh: '联动任务分派', en: 'Assignment' },
  qa_entry: { zh: '答问', en: 'Q&A entry' },
  qa_category: { zh: '答问分类', en: 'Q&A category' },
  qa_policy_document: { zh: '政策文件', en: 'Policy document' },
  qa_synonym: { zh: '同义词表', en: 'Synonym table' },
};

/** Where the name of each kind of target lives; SQL per kind, ids bound, names only. */
const NAME_QUERIES: Record<string, { byIds: string; byName: string }> = {
  user: {
    byIds:
      "SELECT id, CASE WHEN displayName IS NULL OR displayName = '' THEN username ELSE displayName END AS name FROM user WHERE id IN (:...ids)",
    byName: 'SELECT id FROM user WHERE username LIKE :like OR displayName LIKE :like',
  },
  unit: { byIds: 'SELECT id, name FROM unit WHERE id IN (:...ids)', byName: 'SELECT id FROM unit WHERE name LIKE :like' },
  account: { byIds: 'SELECT id, name FROM account WHERE id IN (:...ids)', byName: 'SELECT id FROM account WHERE name LIKE :like' },
  manuscript: {
    byIds: 'SELECT id, title AS name FROM manuscript WHERE id IN (:...ids)',
    byName: 'SELECT id FROM manuscript WHERE title LIKE :like',
  },
  publication: {
    byIds: 'SELECT p.id AS id, m.title AS name FROM publication p JOIN manuscript m ON m.id = p.manuscriptId WHERE p.id IN (:...ids)',
    byName: 'SELECT p.id AS id FROM publication p JOIN manuscript m ON m.id = p.manuscriptId WHERE m.title LIKE :like',
  },
  media: {
    byIds: 'SELECT id, originalName AS name FROM media WHERE id IN (:...ids)',
    byName: 'SELECT id FROM media WHERE originalName LIKE :like',
  },
  api_key: { byIds: 'SELECT id, name FROM api_key WHERE id IN (:...ids)', byName: 'SELECT id FROM api_key WHERE name LIKE :like' },
  campaign: {
    byIds: 'SELECT id, title AS name FROM campaign WHERE id IN (:...ids)',
    byName: 'SELECT id FROM campaign WHERE title LIKE :like',
  },
};

/** `user` is a reserved word on MySQL: quote table names the driver's way. */
function dialect(ds: DataSource, sql: string): string {
  const q = ds.options.type === 'better-sqlite3' ? '"' : '`';
  return sql.replace(/\b(FROM|JOIN) (\w+)/g, (_, kw: string, t: string) => `${kw} ${q}${t}${q}`);
}

function run(ds: DataSource, sql: string, params: Record<string, unknown>): Promise<Record<string, string>[]> {
  const [query, values] = ds.driver.escapeQueryWithParameters(dialect(ds, sql), params, {});
  return ds.query(query, values) as Promise<Record<string, string>[]>;
}

/**
 * Names of the targets of a page of entries: one statement for all kinds of target (a UNION ALL
 * of each kind's lookup by id), since a page of the log names users, manuscripts, accounts and
 * more, and a round trip per kind was most of the list's cost.
 */
export async function targetNames(
  ds: DataSource,
  entries: { targetType: string | null; targetId: string | null }[],
): Promise<Map<string, string>> {
  const byType = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.targetType || !e.targetId || !NAME_QUERIES[e.targetType]) continue;
    byType.set(e.targetType, (byType.get(e.targetType) ?? new Set()).add(e.targetId));
  }
  const names = new Map<string, string>();
  if (byType.size === 0) return names;
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [type, ids] of byType) {
    // The kind is a fixed key of NAME_QUERIES, so it may stand in the SQL as a literal.
    const [query, params] = ds.driver.escapeQueryWithParameters(dialect(ds, NAME_QUERIES[type]!.byIds), { ids: [...ids] }, {});
    parts.push(`SELECT '${type}' AS kind, n.id AS id, n.name AS name FROM (${query}) n`);
    values.push(...(params as unknown[]));
  }
  const rows = (await ds.query(parts.join(' UNION ALL '), values)) as { kind: string; id: string; name: string | null }[];
  for (const r of rows) if (r.name) names.set(`${r.kind}:${r.id}`, String(r.name));
  return names;
}

/**
 * Ids of targets whose name contains the text (at most `limit` per kind). Only used to narrow
 * entries the caller may already read, so a name outside the caller's scope reveals nothing.
 */
export async function targetIdsNamed(ds: DataSource, text: string, limit = 200): Promise<string[]> {
  const like = containsPattern(text);
  const ids: string[] = [];
  for (const q of Object.values(NAME_QUERIES)) {
    const sql = q.byName.replace(/LIKE :like/g, "LIKE :like ESCAPE '!'");
    const rows = await run(ds, `${sql} LIMIT ${limit}`, { like });
    ids.push(...rows.map((r) => String(r.id)));
  }
  return ids;
}
