import type { Lang } from './i18n';

type L = Record<string, [string, string]>;

export const CATEGORY: L = {
  policy: ['政策解读', 'Policy explainer'],
  news: ['工作动态', 'News'],
  notice: ['通知公告', 'Notice'],
  emergency: ['突发事件', 'Emergency'],
  reprint: ['转载', 'Reprint'],
  qa: ['答问', 'Q&A entries'],
};

export const MANUSCRIPT_STATUS: L = {
  draft: ['草稿', 'Draft'],
  in_review: ['审核中', 'In review'],
  approved: ['已通过', 'Approved'],
  rejected: ['已退回', 'Rejected'],
  archived: ['已归档', 'Archived'],
};

export const QA_STATUS: L = {
  draft: ['草稿', 'Draft'],
  in_review: ['审核中', 'In review'],
  published: ['已发布', 'Published'],
  archived: ['已归档', 'Archived'],
  needs_review: ['待复核', 'Needs review'],
};

export const QA_CHANNEL: L = {
  newMedia: ['新媒体', 'New media'],
  web: ['网站', 'Website'],
  hotline: ['热线', 'Hotline'],
};

export const TARGET_STATE: L = {
  pending: ['等待发布', 'Waiting'],
  publishing: ['发布中', 'Publishing'],
  processing: ['平台处理中', 'Processing at the platform'],
  published: ['已发布', 'Published'],
  failed: ['发布失败', 'Failed'],
  rejected: ['平台拒绝', 'Rejected by the platform'],
  retracting: ['撤回中', 'Retracting'],
  retracted: ['已撤回', 'Retracted'],
  retract_failed: ['撤回失败', 'Retraction failed'],
  scheduled: ['定时发布', 'Scheduled'],
  partial: ['部分发布', 'Partly published'],
  queued: ['排队中', 'Queued'],
  retry_wait: ['等待重试', 'Waiting to retry'],
  needs_reauth: ['需重新授权', 'Needs re-authorisation'],
  unconfirmed: ['待人工核实', 'Unconfirmed: check on the platform'],
  editing: ['更正中（修改原帖）', 'Correcting (editing the post)'],
  awaiting_retract: ['更正中（先撤回原帖）', 'Correcting (retracting the old post first)'],
  superseded: ['已被更正替代', 'Superseded by a correction'],
};

export const ACCOUNT_STATUS: L = {
  applying: ['申请中', 'Applying'],
  opened: ['已开设', 'Opened'],
  active: ['运行中', 'Active'],
  suspended: ['已关停', 'Suspended'],
  cancelled: ['已注销', 'Cancelled'],
  rejected: ['未获批', 'Rejected'],
  dormant: ['长期未更新', 'Dormant'],
};

export const CONNECTION: L = {
  none: ['未连接', 'Not connected'],
  connected: ['已连接', 'Connected'],
  expired: ['授权过期', 'Authorization expired'],
  reauth_required: ['需重新授权', 'Re-authorize'],
  error: ['连接异常', 'Connection error'],
};

export const ROLE: L = {
  platform_operator: ['系统管理员', 'Platform operator'],
  security_admin: ['安全管理员', 'Security admin'],
  auditor: ['审计管理员', 'Auditor'],
  supervisor: ['主管单位', 'Supervisor'],
  unit_admin: ['单位管理员', 'Unit admin'],
  editor: ['采编', 'Editor'],
  reviewer: ['审核', 'Reviewer'],
  duty_officer: ['值班员', 'Duty officer'],
};

export const LEVEL: L = {
  province: ['省级', 'Province'],
  city: ['市级', 'City'],
  county: ['县级', 'County'],
  township: ['乡镇', 'Township'],
  department: ['部门', 'Department'],
};

/** Assignment (任务分派) states of a joint-posting campaign (联动任务). */
export const ASSIGNMENT_STATE: L = {
  pending: ['待接收', 'Pending'],
  accepted: ['已接收', 'Accepted'],
  done: ['已完成', 'Done'],
  done_late: ['逾期完成', 'Done late'],
  overdue: ['已逾期', 'Overdue'],
  exempted: ['已豁免', 'Exempted'],
  not_applicable: ['无此平台账号', 'No account on the platform'],
};

export const CAMPAIGN_STATUS: L = {
  open: ['进行中', 'Open'],
  closed: ['已结束', 'Closed'],
};

export const COMPLETION: L = {
  tongfa: ['统发发布', 'Published through Tongfa'],
  detected: ['自动发现（平台内转发）', 'Detected on the platform'],
  evidence: ['提交链接核验', 'Verified from a submitted link'],
};

export const EXEMPTION_STATUS: L = {
  requested: ['豁免待审批', 'Exemption requested'],
  approved: ['豁免已批准', 'Exemption approved'],
  rejected: ['豁免被驳回', 'Exemption rejected'],
};

export function label(table: L, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  const v = table[key];
  return v ? v[lang === 'zh' ? 0 : 1] : key;
}

export const THREAD_STATE: L = {
  new: ['待分派', 'New'],
  assigned: ['待答复', 'Assigned'],
  replied: ['已答复', 'Replied'],
  closed: ['已办结', 'Closed'],
};

export const THREAD_KIND: L = {
  comment: ['评论', 'Comment'],
  message: ['私信', 'Message'],
};

export const REPLY_STATE: L = {
  review: ['待审核', 'Awaiting review'],
  pending: ['待发送', 'Queued'],
  sending: ['发送中', 'Sending'],
  sent: ['已送达', 'Delivered'],
  failed: ['发送失败', 'Failed'],
  unconfirmed: ['待人工核实', 'Unconfirmed: check on the platform'],
  blocked: ['被合规检查拦截', 'Blocked by the compliance check'],
  rejected: ['审核未通过', 'Rejected in review'],
};
