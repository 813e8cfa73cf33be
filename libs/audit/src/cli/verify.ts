// `npm run audit:verify`: checks the audit chain of the configured database; exit 1 on any problem.
import { AppConfig, SystemClock } from '@tongfa/core';
import { createDataSource } from '@tongfa/database';
import { AuditService } from '../audit.service';

async function main(): Promise<void> {
  const config = AppConfig.fromEnv(process.env, { secretKey: false });
  const ds = await createDataSource(config.env.DATABASE_URL);
  await ds.initialize();
  const report = await new AuditService(ds, new SystemClock()).verify();
  await ds.destroy();
  process.stdout.write(
    `audit chain: ${report.ok ? 'intact 完整' : 'TAMPERED 被篡改'}; ${report.checked} entries checked` +
      (report.firstSeq !== null ? ` (seq ${report.firstSeq}–${report.lastSeq})` : '') +
      '\n',
  );
  for (const p of report.problems) process.stdout.write(`  seq ${p.seq} ${p.problem}: ${p.message}\n`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
