import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isBankCard, isMobile, isResidentId, luhnCheckDigit, luhnValid, residentIdCheckChar } from './validators';

const today = new Date('2026-11-20T00:00:00Z');

describe('resident ID numbers (GB 11643)', () => {
  it('accepts numbers with the right check character and a real date of birth', () => {
    assert.ok(isResidentId('11010519491231002X', today));
    assert.ok(isResidentId('11010519491231002x', today));
    assert.equal(isResidentId('440524188001010014', today), false, 'born before 1900');
  });

  it('refuses a wrong check character, an impossible date and a birth in the future', () => {
    assert.equal(isResidentId('110105194912310021', today), false);
    const body = '11010520230230123';
    assert.equal(isResidentId(body + residentIdCheckChar(body), today), false, '30 February');
    const future = '11010520300101123';
    assert.equal(isResidentId(future + residentIdCheckChar(future), today), false);
  });

  it('accepts every valid date with its computed check character and refuses any other check character', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2026-11-19'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (d, seq) => {
          const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
          const body = `440305${ymd}${String(seq).padStart(3, '0')}`;
          const check = residentIdCheckChar(body);
          assert.ok(isResidentId(body + check, today));
          for (const other of '0123456789X') if (other !== check) assert.equal(isResidentId(body + other, today), false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('Luhn and bank cards', () => {
  it('validates the textbook example and refuses any single changed digit', () => {
    assert.ok(luhnValid('79927398713'));
    fc.assert(
      fc.property(fc.stringMatching(/^\d{15,18}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, pos, delta) => {
        const card = payload + luhnCheckDigit(payload);
        assert.ok(isBankCard(card));
        const i = pos % card.length;
        const changed = card.slice(0, i) + String((Number(card[i]) + delta) % 10) + card.slice(i + 1);
        assert.equal(luhnValid(changed), false);
      }),
    );
  });

  it('requires 16 to 19 digits', () => {
    assert.equal(isBankCard('79927398713'), false);
  });
});

describe('mobile numbers', () => {
  it('accepts 11 digits starting 13–19 and nothing else', () => {
    assert.ok(isMobile('13800138000'));
    assert.ok(isMobile('19912345678'));
    assert.equal(isMobile('12800138000'), false);
    assert.equal(isMobile('1380013800'), false);
  });
});
