import { EntityManager } from 'typeorm';
import { SystemFlag } from './entities';

export enum SystemFlagName {
  /**
   * A security admin has been granted at least once. The bootstrap operator's power to grant roles
   * ends with it for good: removing or disabling every security admin later must not hand that
   * power back to the operator (三权分立).
   */
  SecurityAdminGranted = 'security_admin_granted',
}

/** Sets a flag; setting it again is a no-op, so concurrent writers need no coordination. */
export async function setSystemFlag(m: EntityManager, name: SystemFlagName): Promise<void> {
  await m.createQueryBuilder().insert().into(SystemFlag).values({ name }).orIgnore().execute();
}

export function systemFlagIsSet(m: EntityManager, name: SystemFlagName): Promise<boolean> {
  return m.exists(SystemFlag, { where: { name } });
}
