import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDataSource, createTestDatabase, testDrivers } from '@tongfa/database';

/** After every migration, the database matches the entities exactly: nothing left to synchronize. */
for (const driver of testDrivers()) {
  describe(`schema migrations (${driver})`, () => {
    it('leave no pending schema change after all migrations', async () => {
      const db = await createTestDatabase(driver);
      const ds = await createDataSource(db.url);
      try {
        await ds.initialize();
        const ran = await ds.runMigrations({ transaction: 'each' });
        assert.ok(ran.length >= 1, 'at least one migration ran');
        const pending = await ds.driver.createSchemaBuilder().log();
        assert.deepEqual(
          pending.upQueries.map((q) => q.query),
          [],
          'entities and migrations disagree: run npm run migration:regen -- <Name>',
        );
      } finally {
        if (ds.isInitialized) await ds.destroy();
        await db.drop();
      }
    });

    it('migrate down and up again cleanly', async () => {
      const db = await createTestDatabase(driver);
      const ds = await createDataSource(db.url);
      try {
        await ds.initialize();
        const ran = await ds.runMigrations();
        for (let i = 0; i < ran.length; i++) await ds.undoLastMigration();
        const tables = await ds.query(
          driver === 'mysql' ? 'SHOW TABLES' : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        );
        assert.deepEqual(
          (tables as Record<string, string>[]).map((r) => Object.values(r)[0]).filter((t) => t !== 'migrations'),
          [],
        );
        await ds.runMigrations();
        assert.deepEqual((await ds.driver.createSchemaBuilder().log()).upQueries, []);
      } finally {
        if (ds.isInitialized) await ds.destroy();
        await db.drop();
      }
    });
  });
}
