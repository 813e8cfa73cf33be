import { AppConfig } from '@tongfa/core';
import { createDataSource } from '../data-source-options';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv(process.env, { secretKey: false });
  const ds = await createDataSource(config.env.DATABASE_URL);
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  process.stdout.write(`migrations applied: ${ran.length === 0 ? 'none pending' : ran.map((m) => m.name).join(', ')}\n`);
  await ds.destroy();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
