import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL_FORMAT, type JournalHeader } from '../../../src/batch/submit/journal-header.ts';
import { SubmitJournal } from '../../../src/batch/submit/submit-journal.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-submit-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER: JournalHeader = {
  format: JOURNAL_FORMAT,
  model: { id: 'm', variant: 'int8', sha256: 'a'.repeat(64) },
  preprocessVersion: 'v1',
  listing: { clips: 10, sha256: 'b'.repeat(64) },
  batch: 4,
  classes: 250,
  keep: 5,
};

const ok = (i: number) => ({
  index: i,
  outcome: { ok: true as const, top: [i, 7], probs: [Math.fround(0.1 * i), Math.fround(1e-8)] },
});
const failed = (i: number) => ({
  index: i,
  outcome: { ok: false as const, code: 'corrupt' as const, message: `clip ${i}: "bad", bytes` },
});

describe('SubmitJournal', () => {
  it('reads back exactly what it appended, batch after batch, across reopenings', async () => {
    const path = join(root, 'a.journal');
    const first = await SubmitJournal.open(path, HEADER);
    expect(first.resumed).toBe(false);
    await first.journal.write([ok(0), failed(1), ok(2)]);
    await first.journal.write([ok(3)]);
    await first.journal.close();

    const second = await SubmitJournal.open(path, HEADER);
    expect(second.resumed).toBe(true);
    expect([...second.outcomes.entries()]).toEqual(
      [ok(0), failed(1), ok(2), ok(3)].map((r) => [r.index, r.outcome]),
    );
    await second.journal.write([ok(4)]);
    await second.journal.close();
    const third = await SubmitJournal.open(path, HEADER);
    expect(third.outcomes.size).toBe(5);
    await third.journal.close();
  });

  it('cuts a torn last line (killed mid-write) and appends after the last whole record', async () => {
    const path = join(root, 'torn.journal');
    const opened = await SubmitJournal.open(path, HEADER);
    await opened.journal.write([ok(0), ok(1)]);
    await opened.journal.close();
    appendFileSync(path, '{"i":2,"t":[1');
    const resumed = await SubmitJournal.open(path, HEADER);
    expect([...resumed.outcomes.keys()]).toEqual([0, 1]);
    await resumed.journal.write([ok(2)]);
    await resumed.journal.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[3]!)).toEqual({ i: 2, t: [2, 7], p: ok(2).outcome.probs });
  });

  it('refuses a journal made for another model, listing or batch size, saying which, unless restarting', async () => {
    const path = join(root, 'mismatch.journal');
    const opened = await SubmitJournal.open(path, HEADER);
    await opened.journal.write([ok(0)]);
    await opened.journal.close();
    const other = { ...HEADER, model: { ...HEADER.model, sha256: 'c'.repeat(64) }, batch: 8 };
    await expect(SubmitJournal.open(path, other)).rejects.toMatchObject({
      code: 'journal_mismatch',
      source: path,
    });
    await expect(SubmitJournal.open(path, other)).rejects.toThrow(
      /model m int8 .*--batch 4 instead of 8.*--restart/,
    );
    const relisted = { ...HEADER, listing: { clips: 10, sha256: 'd'.repeat(64) } };
    await expect(SubmitJournal.open(path, relisted)).rejects.toThrow(/a listing of 10 clips that differs/);
    // A journal that kept more classes than a run needs is fine; fewer is not.
    const keepsFewer = await SubmitJournal.open(path, { ...HEADER, keep: 3 });
    expect(keepsFewer.header.keep).toBe(5);
    await keepsFewer.journal.close();
    await expect(SubmitJournal.open(path, { ...HEADER, keep: 10 })).rejects.toMatchObject({
      code: 'journal_mismatch',
    });

    const restarted = await SubmitJournal.open(path, other, true);
    expect(restarted.outcomes.size).toBe(0);
    await restarted.journal.close();
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!)).toEqual(other);
  });

  it('refuses damage before the last line, and a file that is not a journal', async () => {
    const path = join(root, 'damaged.journal');
    writeFileSync(path, `${JSON.stringify(HEADER)}\n{"i":0,"t":[1],"p":[0.5]}\n{"i":99,"t":[1],"p":[0.5]}\n`);
    await expect(SubmitJournal.open(path, HEADER)).rejects.toMatchObject({ code: 'journal_corrupt' });
    await expect(SubmitJournal.open(path, HEADER)).rejects.toThrow(/line 3 is not a journal record/);
    writeFileSync(path, 'sequence_id,sign\n1,hello\n');
    await expect(SubmitJournal.open(path, HEADER)).rejects.toThrow(/is not a submit journal/);
  });

  it('starts over when the header itself was torn (nothing was journalled)', async () => {
    const path = join(root, 'header-torn.journal');
    writeFileSync(path, JSON.stringify(HEADER).slice(0, 30));
    const opened = await SubmitJournal.open(path, HEADER);
    expect(opened.resumed).toBe(false);
    await opened.journal.close();
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(HEADER)}\n`);
  });
});
