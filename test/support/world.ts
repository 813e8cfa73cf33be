import { INestApplication } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { makeCreditCode, Role, Unit, UnitLevel, UnitsService, UsersService } from '@tongfa/identity';

export const PASSWORD = 'World#Pass2026';

export type UnitKey = 'province' | 'cityA' | 'cityB' | 'countyA1' | 'countyA2' | 'countyB1' | 'deptA';

export interface WorldUser {
  id: string;
  username: string;
  role: Role;
  unit: UnitKey;
}

/**
 * A small province: two cities, three counties and a department, with one user per role at the
 * places the tests need. Built through the services (not fixtures), passwords permanent.
 */
export class World {
  units = {} as Record<UnitKey, Unit>;
  users = new Map<string, WorldUser>();
  private serial = 1;

  constructor(private readonly app: INestApplication) {}

  static async build(app: INestApplication): Promise<World> {
    const w = new World(app);
    const units = app.get(UnitsService);
    const mk = async (key: UnitKey, name: string, level: UnitLevel, region: string, parent?: UnitKey) => {
      const creditCode = makeCreditCode(region, 20_000_000 + w.serial++);
      w.units[key] = parent
        ? await units.create(null, { name, level, parentId: w.units[parent].id, creditCode, regionCode: region })
        : await units.createRoot({ name, creditCode, regionCode: region });
    };
    await mk('province', '测试省政府办公厅', UnitLevel.Province, '980000');
    await mk('cityA', '甲市政府办公室', UnitLevel.City, '980100', 'province');
    await mk('cityB', '乙市政府办公室', UnitLevel.City, '980200', 'province');
    await mk('countyA1', '甲市一县政府办公室', UnitLevel.County, '980121', 'cityA');
    await mk('countyA2', '甲市二县政府办公室', UnitLevel.County, '980122', 'cityA');
    await mk('countyB1', '乙市一县政府办公室', UnitLevel.County, '980221', 'cityB');
    await mk('deptA', '甲市教育局', UnitLevel.Department, '980100', 'cityA');
    return w;
  }

  /** Creates a user holding `role` at `unit` (reviewers at level 1). */
  async user(username: string, role: Role, unit: UnitKey, opts: { temporary?: boolean; level?: number } = {}): Promise<WorldUser> {
    const users = this.app.get(UsersService);
    const v = await users.create(
      null,
      {
        username,
        displayName: username,
        unitId: this.units[unit].id,
        password: PASSWORD,
        roles: [{ role, unitId: this.units[unit].id, level: role === Role.Reviewer ? (opts.level ?? 1) : undefined }],
      },
      { permanent: !opts.temporary },
    );
    const u = { id: v.id, username, role, unit };
    this.users.set(username, u);
    return u;
  }
}

export async function login(http: TestAgent, username: string, password = PASSWORD): Promise<string> {
  const res = await http.post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}
