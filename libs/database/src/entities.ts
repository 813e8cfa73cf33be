// The whole schema, in one list: migrations are generated from it and both drivers load it.
// Relative imports of each context's entities folder keep this file free of service code.
import { Unit, User, RoleAssignment, Session, ApiKey, PasswordHistory, RecoveryCode, SystemFlag } from '../../identity/src/entities';
import { OidcLoginState, OidcLoginTicket, OidcProviderRecord, OidcSigningKey } from '../../identity/src/entities';
import { AuditEntry, AuditHead } from '../../audit/src/entities';
import { JobRecord } from '../../jobs/src/entities';
import { Account, AccountApproval, Filing, AccountCredential } from '../../accounts/src/entities';
import { OAuthState, PlatformAppCredential, AccountAlert } from '../../plugins/src/entities';
import { Publication, PublicationTarget, PublicationAttempt, PublicationPlan } from '../../publishing/src/entities';
import { Media } from '../../media/src/entities/media.entity';
import { Manuscript, ManuscriptVersion, ReviewChain, ReviewChainMinimum, ReviewDecision } from '../../manuscripts/src/entities';
import { LexiconVersion, LexiconEntry } from '../../compliance/src/entities';
import { DutyAlert } from '../../alerts/src/entities';
import { Notification, NotificationChannel, NotificationDelivery } from '../../notifications/src/entities';
import { Campaign, Assignment, AssignmentReminder, CampaignTrust, CampaignRelay, AccountPoll } from '../../campaigns/src/entities';
import {
  InboxThread,
  InboxItem,
  InboxReply,
  InboxNote,
  InboxPoll,
  InboxPollBudget,
  InboxUnitSetting,
  InboxModeration,
  InboxListing,
  InboxAccountPoll,
} from '../../inbox/src/entities';
import { ActivityDay, MonitoredAccount, RuleState } from '../../monitoring/src/entities';
import { DutyNotice, DutyOverride, DutyPage, DutySchedule } from '../../duty/src/entities';
import { SpotCheckRound, SpotCheckSample, SpotCheckFinding, Rectification } from '../../supervision/src/entities';
import {
  QaCategory,
  QaEntry,
  QaEntryVersion,
  QaPolicyCitation,
  QaPolicyDocument,
  QaQueryLog,
  QaReviewDecision,
  QaSequence,
  QaSynonym,
} from '../../knowledge/src/entities';

export const ALL_ENTITIES = [
  Unit,
  User,
  RoleAssignment,
  Session,
  ApiKey,
  PasswordHistory,
  RecoveryCode,
  SystemFlag,
  OidcLoginState,
  OidcLoginTicket,
  OidcProviderRecord,
  OidcSigningKey,
  AuditEntry,
  AuditHead,
  JobRecord,
  Account,
  AccountApproval,
  Filing,
  AccountCredential,
  OAuthState,
  PlatformAppCredential,
  AccountAlert,
  Manuscript,
  ManuscriptVersion,
  ReviewChain,
  ReviewChainMinimum,
  ReviewDecision,
  Media,
  LexiconVersion,
  LexiconEntry,
  Publication,
  PublicationTarget,
  PublicationAttempt,
  PublicationPlan,
  DutyAlert,
  Notification,
  NotificationChannel,
  NotificationDelivery,
  Campaign,
  Assignment,
  AssignmentReminder,
  CampaignTrust,
  CampaignRelay,
  AccountPoll,
  QaEntry,
  QaEntryVersion,
  QaReviewDecision,
  QaCategory,
  QaQueryLog,
  QaSynonym,
  QaPolicyDocument,
  QaPolicyCitation,
  QaSequence,
  InboxThread,
  InboxItem,
  InboxReply,
  InboxNote,
  InboxPoll,
  InboxPollBudget,
  InboxUnitSetting,
  InboxModeration,
  InboxListing,
  InboxAccountPoll,
  ActivityDay,
  MonitoredAccount,
  RuleState,
  DutySchedule,
  DutyOverride,
  DutyPage,
  DutyNotice,
  SpotCheckRound,
  SpotCheckSample,
  SpotCheckFinding,
  Rectification,
];
