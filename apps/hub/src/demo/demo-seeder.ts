import { DataSource } from 'typeorm';
import { makeCreditCode, Role, Unit, UnitLevel, UnitsService, UsersService } from '@tongfa/identity';
import { randomPassword } from '../startup.service';

/** The demo password of every demo user except the generated operator. Public: demo only. */
export const DEMO_PASSWORD = 'Tongfa#2026demo';

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
  { username: 'admin.dongqu', displayName: '东区单位管理员', unit: 'dongqu', role: Role.UnitAdmin },
  { username: 'editor.dongqu', displayName: '东区采编 李明', unit: 'dongqu', role: Role.Editor },
  { username: 'reviewer1.dongqu', displayName: '东区初审 王芳', unit: 'dongqu', role: Role.Reviewer, level: 1 },
  { username: 'reviewer2.dongqu', displayName: '东区复审 陈刚', unit: 'dongqu', role: Role.Reviewer, level: 2 },
  { username: 'reviewer3.dongqu', displayName: '东区终审 赵静', unit: 'dongqu', role: Role.Reviewer, level: 3 },
  { username: 'duty.dongqu', displayName: '东区值班员', unit: 'dongqu', role: Role.DutyOfficer },
  { username: 'editor.xixian', displayName: '西县采编 周洋', unit: 'xixian', role: Role.Editor },
];

/**
 * Seeds the demo province once (when no unit exists) and returns the lines to print: every demo
 * user with its role and password.
 */
export async function seedDemo(units: UnitsService, users: UsersService, ds: DataSource, withOperator: boolean): Promise<string[]> {
  const lines: string[] = [];
  if ((await ds.getRepository(Unit).count()) > 0) {
    lines.push(`演示数据已存在 demo data present; demo users keep the password ${DEMO_PASSWORD} unless changed.`);
    return lines;
  }
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
  if (withOperator) {
    const password = randomPassword();
    await users.create(
      null,
      {
        username: 'admin',
        displayName: '系统管理员',
        unitId: root.id,
        password,
        roles: [{ role: Role.PlatformOperator, unitId: root.id }],
      },
      { permanent: true },
    );
    lines.push(`  admin                 系统管理员 platform_operator   ${password}`);
  }
  for (const u of USERS) {
    const unit = byKey.get(u.unit)!;
    await users.create(
      null,
      {
        username: u.username,
        displayName: u.displayName,
        unitId: unit.id,
        password: DEMO_PASSWORD,
        roles: [{ role: u.role, unitId: unit.id, level: u.level }],
      },
      { permanent: true },
    );
    lines.push(`  ${u.username.padEnd(22)}${u.displayName} ${u.role}${u.level ? ` L${u.level}` : ''}   ${DEMO_PASSWORD}`);
  }
  return ['演示用户 demo users (username, role, password):', ...lines];
}
