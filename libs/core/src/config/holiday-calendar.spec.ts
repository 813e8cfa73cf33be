import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from './app-config';
import { parseEnv } from './env.schema';
import { loadHolidayCalendar } from './config.module';
import { ManualClock } from '../clock';
import { isWorkday, useSupplementaryCalendar } from '../time/working-time';

describe('TONGFA_HOLIDAYS_FILE at start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongfa-holidays-'));
  const clock = new ManualClock();
  const config = (file: string) => new AppConfig(parseEnv({ TONGFA_HOLIDAYS_FILE: file }), null);

  it('takes the file: its years are known and their days decided by it', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ '2099': { holidays: ['2099-01-05'], workdays: [] } }));
    try {
      assert.equal(loadHolidayCalendar(config(file), clock), 2099);
      assert.equal(isWorkday('2099-01-05'), false);
    } finally {
      useSupplementaryCalendar({});
    }
  });

  it('stops the start naming the variable and the file when it is not JSON or not a calendar', () => {
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"2099": ');
    assert.throws(() => loadHolidayCalendar(config(notJson), clock), /TONGFA_HOLIDAYS_FILE: cannot read .*broken\.json as JSON/);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ '2099': { holidays: ['2099-13-01'], workdays: [] } }));
    assert.throws(() => loadHolidayCalendar(config(wrong), clock), /wrong\.json: holiday calendar: 2099-13-01 is not a date of 2099/);
    assert.throws(() => loadHolidayCalendar(config(join(dir, 'missing.json')), clock), /TONGFA_HOLIDAYS_FILE: cannot read/);
  });
});
