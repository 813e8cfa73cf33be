import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Manuscript } from './entities';
import { mayDecide, nextEscalationDue, openSteps, stepDue } from './review-steps';

const at = new Date('2026-07-01T08:00:00Z');
const ms = (over: Partial<Manuscript> = {}): Manuscript =>
  ({
    chain: {
      parallel: true,
      steps: [1, 2, 3].map((level) => ({ level, name: `L${level}`, limitMinutes: 30 })),
    },
    approvedSteps: [],
    escalatedSteps: [],
    submittedAt: at,
    escalationDueAt: null,
    ...over,
  }) as Manuscript;

describe('review steps and escalation deadlines', () => {
  it('opens every undecided step of a parallel chain and only the first of a sequential one', () => {
    assert.deepEqual(openSteps(ms({ approvedSteps: [1] })), [0, 2]);
    assert.deepEqual(openSteps(ms({ approvedSteps: [0], chain: { ...ms().chain!, parallel: false } })), [1]);
  });

  it('dates a parallel step from the submission and skips escalated steps for the next deadline', () => {
    assert.equal(stepDue(ms(), 2)!.toISOString(), '2026-07-01T08:30:00.000Z');
    assert.equal(nextEscalationDue(ms({ escalatedSteps: [0, 1, 2] }), at), null);
    const m = ms();
    m.chain!.steps[2]!.limitMinutes = 10;
    assert.equal(nextEscalationDue(m, at)!.toISOString(), '2026-07-01T08:10:00.000Z');
  });

  it('lets the next level up decide an escalated step, never a step that did not escalate', () => {
    assert.equal(mayDecide(ms(), 0, [2]), false);
    assert.equal(mayDecide(ms({ escalatedSteps: [0] }), 0, [2]), true);
    assert.equal(mayDecide(ms({ escalatedSteps: [0] }), 0, [3]), false, 'two levels up is not the next level');
    assert.equal(mayDecide(ms({ escalatedSteps: [2] }), 2, [2]), false, 'the top step has no level above it');
    assert.equal(mayDecide(ms({ escalatedSteps: [2] }), 2, [3]), true);
  });
});
