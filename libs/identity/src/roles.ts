/** Roles a user holds over a unit subtree. */
export enum Role {
  PlatformOperator = 'platform_operator',
  SecurityAdmin = 'security_admin',
  Auditor = 'auditor',
  Supervisor = 'supervisor',
  UnitAdmin = 'unit_admin',
  Editor = 'editor',
  Reviewer = 'reviewer',
  DutyOfficer = 'duty_officer',
}

export const ALL_ROLES = Object.values(Role);

/** 三权分立: no one user holds two of these. */
export const SEPARATED_ROLES: readonly Role[] = [Role.PlatformOperator, Role.SecurityAdmin, Role.Auditor];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  [Role.PlatformOperator]: { zh: '系统管理员', en: 'Platform operator' },
  [Role.SecurityAdmin]: { zh: '安全管理员', en: 'Security administrator' },
  [Role.Auditor]: { zh: '审计管理员', en: 'Auditor' },
  [Role.Supervisor]: { zh: '主管单位', en: 'Supervisor' },
  [Role.UnitAdmin]: { zh: '单位管理员', en: 'Unit administrator' },
  [Role.Editor]: { zh: '采编', en: 'Editor' },
  [Role.Reviewer]: { zh: '审核', en: 'Reviewer' },
  [Role.DutyOfficer]: { zh: '值班', en: 'Duty officer' },
};

/** What can be done; each permission is granted by some roles, over the subtree of the role's unit. */
export enum Permission {
  UnitRead = 'unit:read',
  UnitWrite = 'unit:write',
  UserRead = 'user:read',
  UserWrite = 'user:write',
  RoleGrant = 'role:grant',
  SecurityPolicy = 'security:policy',
  AuditRead = 'audit:read',
  ApiKeyManage = 'apikey:manage',
  QueueAdmin = 'queue:admin',
  PluginRead = 'plugin:read',
  AccountRead = 'account:read',
  AccountWrite = 'account:write',
  AccountApprove = 'account:approve',
  FilingRead = 'filing:read',
  ManuscriptRead = 'manuscript:read',
  ManuscriptWrite = 'manuscript:write',
  Review = 'manuscript:review',
  ReviewChainManage = 'review-chain:manage',
  LexiconManage = 'lexicon:manage',
  ComplianceCheck = 'compliance:check',
  AlertRead = 'alert:read',
  AlertAck = 'alert:ack',
  CampaignIssue = 'campaign:issue',
  CampaignWork = 'campaign:work',
  AssignmentRead = 'assignment:read',
  QaRead = 'qa:read',
  QaWrite = 'qa:write',
  QaReview = 'qa:review',
  /** The province's synonym table, category tree and policy documents (held at the root). */
  QaLibraryManage = 'qa:library',
  InboxRead = 'inbox:read',
  /** Reply to citizens and write notes on the unit's threads. */
  InboxWork = 'inbox:work',
  /** Give a thread to someone of the unit. */
  InboxAssign = 'inbox:assign',
  /** The one review step of replies, where the unit asks for it. */
  InboxReview = 'inbox:review',
  /** 监测: accounts' activity and inspection rule states over the subtree. */
  MonitoringRead = 'monitoring:read',
  /** 值班: read a unit's duty schedule, who is on call and the duty log. */
  DutyRead = 'duty:read',
  /** 值班: edit a unit's layers, overrides and escalation policy. */
  DutyManage = 'duty:manage',
  /** 抽查: open rounds over the subtree, record findings, re-check rectifications, edit the 通报. */
  SpotCheckManage = 'spot-check:manage',
  /** 抽查: read rounds and their 通报 over the subtree. */
  SpotCheckRead = 'spot-check:read',
  /** 整改: read the rectification orders of the subtree (a unit its own). */
  RectificationRead = 'rectification:read',
  /** 整改: answer an order to the unit with what was done and the evidence. */
  RectificationRespond = 'rectification:respond',
}

const R = Role;

/**
 * The permission matrix. Read it as: a user with role X at unit U may do P to resources inside
 * U's subtree. The data layer filters every query with the union of those subtrees.
 */
export const POLICY: Record<Permission, readonly Role[]> = {
  [Permission.UnitRead]: ALL_ROLES,
  [Permission.UnitWrite]: [R.PlatformOperator, R.UnitAdmin],
  [Permission.UserRead]: [R.PlatformOperator, R.SecurityAdmin, R.Auditor, R.Supervisor, R.UnitAdmin],
  [Permission.UserWrite]: [R.PlatformOperator, R.UnitAdmin, R.SecurityAdmin],
  [Permission.RoleGrant]: [R.SecurityAdmin],
  [Permission.SecurityPolicy]: [R.SecurityAdmin],
  [Permission.AuditRead]: [R.Auditor],
  [Permission.ApiKeyManage]: [R.PlatformOperator, R.UnitAdmin],
  [Permission.QueueAdmin]: [R.PlatformOperator],
  [Permission.PluginRead]: ALL_ROLES,
  [Permission.AccountRead]: [R.PlatformOperator, R.Supervisor, R.UnitAdmin, R.Editor, R.Reviewer, R.DutyOfficer, R.Auditor],
  [Permission.AccountWrite]: [R.UnitAdmin],
  [Permission.AccountApprove]: [R.Supervisor],
  [Permission.FilingRead]: [R.Supervisor, R.UnitAdmin, R.Auditor],
  [Permission.ManuscriptRead]: [R.Editor, R.Reviewer, R.UnitAdmin, R.Supervisor, R.Auditor, R.DutyOfficer],
  [Permission.ManuscriptWrite]: [R.Editor],
  [Permission.Review]: [R.Reviewer],
  [Permission.ReviewChainManage]: [R.UnitAdmin],
  // Granted at the root only: the lexicon service refuses the role held lower in the tree (one lexicon per province).
  [Permission.LexiconManage]: [R.PlatformOperator, R.SecurityAdmin],
  [Permission.ComplianceCheck]: [R.Editor, R.Reviewer],
  // 值班提醒: the duty officers over the unit read and acknowledge them; supervisors do the same for
  // their subtree, so a city's supervisor sees its counties' alerts without holding the duty role.
  [Permission.AlertRead]: [R.DutyOfficer, R.Supervisor],
  [Permission.AlertAck]: [R.DutyOfficer, R.Supervisor],
  // 矩阵联动: supervisors issue campaigns over their subtree; a unit's editors and admin carry them out.
  [Permission.CampaignIssue]: [R.Supervisor],
  [Permission.CampaignWork]: [R.Editor, R.UnitAdmin],
  [Permission.AssignmentRead]: [R.Editor, R.UnitAdmin, R.Reviewer, R.DutyOfficer],
  // 统一咨询答问库: editors write 答问, reviewers approve them through the unit's `qa` chain.
  [Permission.QaRead]: [R.Editor, R.Reviewer, R.UnitAdmin, R.Supervisor, R.Auditor, R.DutyOfficer, R.PlatformOperator],
  [Permission.QaWrite]: [R.Editor],
  [Permission.QaReview]: [R.Reviewer],
  // The knowledge service refuses it held below the root (one table per province).
  [Permission.QaLibraryManage]: [R.PlatformOperator, R.Supervisor],
  // 政民互动: the unit's editors answer; its admin and the duty officers over it hand threads out.
  [Permission.InboxRead]: [R.Editor, R.Reviewer, R.UnitAdmin, R.Supervisor, R.DutyOfficer, R.Auditor],
  [Permission.InboxWork]: [R.Editor, R.UnitAdmin],
  [Permission.InboxAssign]: [R.UnitAdmin, R.DutyOfficer, R.Supervisor],
  [Permission.InboxReview]: [R.Reviewer],
  // 监测: supervisors watch their subtree's accounts; a unit's admin and duty officers watch their own.
  [Permission.MonitoringRead]: [R.Supervisor, R.UnitAdmin, R.DutyOfficer, R.Auditor, R.PlatformOperator],
  // 值班表: a unit admin arranges the duty of the unit's subtree; those on duty and over it read it.
  [Permission.DutyRead]: [R.UnitAdmin, R.Supervisor, R.DutyOfficer, R.Auditor],
  [Permission.DutyManage]: [R.UnitAdmin],
  // 抽查与整改: supervisors check their subtree; the checked unit's admin and editors answer the orders.
  [Permission.SpotCheckManage]: [R.Supervisor],
  [Permission.SpotCheckRead]: [R.Supervisor, R.Auditor],
  [Permission.RectificationRead]: [R.Supervisor, R.UnitAdmin, R.Editor, R.DutyOfficer, R.Auditor],
  [Permission.RectificationRespond]: [R.UnitAdmin, R.Editor],
};
