import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TIMED_OUT } from './expected.js';
import { FAULT_KINDS } from './faults/fault.js';
import { formatReport } from './print.js';
import { violations } from './report.js';
import { runChaos } from './run.js';

/** Faults that act on a schedule: each must have left a record. Crash points fire by chance. */
const SCHEDULED = FAULT_KINDS.filter((kind) => kind !== 'crash-points');

describe('chaos harness smoke run', () => {
  it('keeps every invariant through every fault kind at once', {
    timeout: 240_000,
  }, async (t) => {
    // A run that fails outright shows how far it got.
    const progress: string[] = [];
    const report = await runChaos({
      scenario: 'all',
      orders: 200,
      rate: 4,
      seed: 42,
      onProgress: (line) => progress.push(line),
    }).catch((error: unknown) => {
      t.diagnostic(progress.join('\n'));
      throw error;
    });
    const printed = formatReport(report);
    t.diagnostic(printed);
    assert.deepEqual(violations(report), [], printed);
    for (const kind of SCHEDULED) {
      assert.ok(
        report.faults.some((fault) => fault.kind === kind),
        `${kind} left no record\n${printed}`,
      );
    }
    assert.equal(report.placed.length, 200);
    // The gateway black hole outlasts the deadline: the sagas it caught must have ended there.
    assert.ok((report.outcomes.counts?.[TIMED_OUT] ?? 0) > 0, `no order timed out\n${printed}`);
  });
});
