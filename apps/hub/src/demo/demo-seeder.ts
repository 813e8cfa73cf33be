import { DataSource, In } from 'typeorm';
import { makeCreditCode, Role, temporaryPassword, Unit, UnitLevel, UnitsService, User, UsersService } from '@tongfa/identity';

/** The password of every demo user except the generated operator, in development only. Public. */
export const DEMO_PASSWORD = 'Tongfa#2026demo';

/** The command that gives a user a new temporary password (libs/identity/src/cli/reset-password.ts). */
export const RESET_PASSWORD_COMMAND = 'npm run user:reset-password --';

interface DemoUnit {
  key: string;
  name: string;
  level: UnitLevel;
  region: string;
  parent?: string;
}

/** A fictional province with two cities and four counties (region codes in an unused range). */
const UNITS: DemoUnit[] = [
  { key: 'province', name: '南岭省人民政府办公厅', level: UnitLevel.Province, region: '990000' },
  { key: 'qingshan', name: '青山市人民政府办公室', level: UnitLevel.City, region: '990100', parent: 'province' },
  { key: 'lvshui', name: '绿水市人民政府办公室', level: UnitLevel.City, region: '990200', parent: 'province' },
  { key: 'dongqu', name: '青山市东区人民政府办公室', level: UnitLevel.County, region: '990102', parent: 'qingshan' },
  { key: 'xixian', name: '青山市西县人民政府办公室', level: UnitLevel.County, region: '990121', parent: 'qingshan' },
  { key: 'nanxian', name: '绿水市南县人民政府办公室', level: UnitLevel.County, region: '990221', parent: 'lvshui' },
  { key: 'beixian', name: '绿水市北县人民政府办公室', level: UnitLevel.County, region: '990222', parent: 'lvshui' },
];

const USERS: { username: string; displayName: string; unit: string; role: Role; level?: number }[] = [
  { username: 'security', displayName: '安全管理员', unit: 'province', role: Role.SecurityAdmin },
  { username: 'auditor', displayName: '审计管理员', unit: 'province', role: Role.Auditor },
  { username: 'supervisor', displayName: '省政务公开办', unit: 'province', role: Role.Supervisor },
  { username: 'supervisor.qingshan', displayName: '青山市政务公开办', unit: 'qingshan', role: Role.Supervisor },
  // The city's own newsroom: its approved release is what supervisor.qingshan asks the counties to carry (矩阵联动).
  { username: 'editor.qingshan', displayName: '青山市采编 孙丽', unit: 'qingshan', role: Role.Editor },
  { username: 'reviewer1.qingshan', displayName: '青山市初审 吴强', unit: 'qingshan', role: Role.Reviewer, level: 1 },
  { username: 'reviewer2.qingshan', displayName: '青山市复审 郑红', unit: 'qingshan', role: Role.Reviewer, level: 2 },
  { username: 'admin.dongqu', displayName: '东区单位管理员', unit: 'dongqu', role: Role.UnitAdmin },
  { username: 'editor.dongqu', displayName: '东区采编 李明', unit: 'dongqu', role: Role.Editor },
  { username: 'reviewer1.dongqu', displayName: '东区初审 王芳', unit: 'dongqu', role: Role.Reviewer, level: 1 },
  { username: 'reviewer2.dongqu', displayName: '东区复审 陈刚', unit: 'dongqu', role: Role.Reviewer, level: 2 },
  { username: 'reviewer3.dongqu', displayName: '东区终审 赵静', unit: 'dongqu', role: Role.Reviewer, level: 3 },
  { username: 'duty.dongqu', displayName: '东区值班员', unit: 'dongqu', role: Role.DutyOfficer },
  { username: 'editor.xixian', displayName: '西县采编 周洋', unit: 'xixian', role: Role.Editor },
];

const OPERATOR = { username: 'admin', displayName: '系统管理员', role: Role.PlatformOperator };

/** Usernames the demo creates: in production their published password is never left in place. */
export const DEMO_USERNAMES = [OPERATOR.username, ...USERS.map((u) => u.username)];

/** One demo user as the start-up banner shows it; `password` only where it may be printed. */
export interface DemoUserLine {
  username: string;
  displayName: string;
  role: string;
  password: string | null;
  /** Why no password is shown, or that it may have been changed. */
  note: 'changed?' | 'temporary' | 'unrecoverable';
}

export interface DemoSeed {
  /** false: the database already held units; nothing was created. */
  seeded: boolean;
  users: DemoUserLine[];
}

/**
 * Seeds the demo province once (when no unit exists) and says which demo users exist. In
 * development the users share the published DEMO_PASSWORD and the generated operator's random
 * password is shown once. In production (only with TONGFA_DEMO=1) every demo user gets a random
 * temporary password that is never shown: an operator sets one with the reset command, and it
 * must be changed at the first sign-in.
 */
export async function seedDemo(
  units: UnitsService,
  users: UsersService,
  ds: DataSource,
  opts: { withOperator: boolean; production: boolean },
): Promise<DemoSeed> {
  if ((await ds.getRepository(Unit).count()) > 0) return { seeded: false, users: await presentDemoUsers(ds, opts.production) };
  const byKey = new Map<string, Unit>();
  let serial = 1;
  for (const u of UNITS) {
    const creditCode = makeCreditCode(u.region, 10_000_000 + serial++);
    const unit = !u.parent
      ? await units.createRoot({ name: u.name, creditCode, regionCode: u.region })
      : await units.create(null, { name: u.name, level: u.level, parentId: byKey.get(u.parent)!.id, creditCode, regionCode: u.region });
    byKey.set(u.key, unit);
  }
  const root = byKey.get('province')!;
  const lines: DemoUserLine[] = [];
  // Production: temporary (must change at first sign-in) and random; development: permanent.
  const permanent = !opts.production;
  if (opts.withOperator) {
    const password = temporaryPassword(OPERATOR.username);
    await users.create(
      null,
      {
        username: OPERATOR.username,
        displayName: OPERATOR.displayName,
        unitId: root.id,
        password,
        roles: [{ role: OPERATOR.role, unitId: root.id }],
      },
      { permanent },
    );
    lines.push({
      ...OPERATOR,
      password: opts.production ? null : password,
      note: opts.production ? 'temporary' : 'unrecoverable',
    });
  }
  for (const u of USERS) {
    const unit = byKey.get(u.unit)!;
    const password = opts.production ? temporaryPassword(u.username) : DEMO_PASSWORD;
    await users.create(
      null,
      {
        username: u.username,
        displayName: u.displayName,
        unitId: unit.id,
        password,
        roles: [{ role: u.role, unitId: unit.id, level: u.level }],
      },
      { permanent },
    );
    lines.push({
      username: u.username,
      displayName: u.displayName,
      role: roleLabel(u.role, u.level),
      password: opts.production ? null : DEMO_PASSWORD,
      note: opts.production ? 'temporary' : 'changed?',
    });
  }
  return { seeded: true, users: lines };
}

/** The demo users of an earlier start, as they are now (a restart prints them again). */
async function presentDemoUsers(ds: DataSource, production: boolean): Promise<DemoUserLine[]> {
  const rows = await ds.getRepository(User).find({ where: { username: In(DEMO_USERNAMES) } });
  const out: DemoUserLine[] = [];
  for (const spec of [{ ...OPERATOR, level: undefined }, ...USERS]) {
    const row = rows.find((r) => r.username === spec.username);
    if (!row) continue;
    const isOperator = spec.username === OPERATOR.username;
    out.push({
      username: row.username,
      displayName: row.displayName,
      role: roleLabel(spec.role, spec.level),
      // The operator's password was random and shown once; nobody can read it back.
      password: production || isOperator ? null : DEMO_PASSWORD,
      note: production ? 'temporary' : isOperator ? 'unrecoverable' : 'changed?',
    });
  }
  return out;
}

function roleLabel(role: Role, level?: number): string {
  return `${role}${level ? ` L${level}` : ''}`;
}

/** The banner's lines for the demo users: never a password in production. */
export function demoBanner(seed: DemoSeed, production: boolean): string[] {
  if (!seed.users.length) {
    return seed.seeded ? [] : ['演示数据未创建：数据库中已有单位 / demo not seeded: the database already holds units'];
  }
  const head = production
    ? `演示用户 demo users — 生产环境不显示密码；为用户设置临时密码 / production shows no password; give one a temporary password: ${RESET_PASSWORD_COMMAND} <username>`
    : seed.seeded
      ? '演示用户 demo users (username, role, password):'
      : `演示用户 demo users (username, role, password; 已有数据 existing data — 密码若已修改则以新密码为准 / unless changed since):`;
  const rows = seed.users.map((u) => {
    const shown =
      u.password ??
      (u.note === 'unrecoverable'
        ? `密码无法找回，重设 / not recoverable, reset with: ${RESET_PASSWORD_COMMAND} ${u.username}`
        : '(临时密码，未显示 temporary, not shown)');
    return `  ${u.username.padEnd(22)}${u.displayName} ${u.role}   ${shown}`;
  });
  return [head, ...rows];
}
