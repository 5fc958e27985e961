import { open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import type { ClipOutcome } from './clip-outcome.ts';
import { headerMismatches, isJournalHeader, type JournalHeader } from './journal-header.ts';
import { decodeRecord, encodeRecord } from './journal-record.ts';
import { SubmitError } from './submit-error.ts';

export interface OpenedJournal {
  readonly journal: SubmitJournal;
  /** The header in force: the existing journal's when resuming (it may keep more classes). */
  readonly header: JournalHeader;
  /** Results already journalled, by listing index (later records win over earlier ones). */
  readonly outcomes: Map<number, ClipOutcome>;
  readonly resumed: boolean;
}

/**
 * The append-only record of a submit run (`<out>.journal`): a header line binding it to the model and
 * the listing, then one line per scored clip, appended a batch at a time as results are produced. It
 * is what makes a killed run resumable; a torn last line (killed mid-write) is cut off on reopening.
 */
export class SubmitJournal {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Opens the journal at `path` for a run described by `header`: resumes an existing one that fits,
   * starts a new one when there is none (or `restart`), and refuses one made for another model,
   * listing or batch size (`journal_mismatch`) or damaged before its last line (`journal_corrupt`).
   */
  static async open(path: string, header: JournalHeader, restart = false): Promise<OpenedJournal> {
    if (restart) await rm(path, { force: true });
    const text = await readExisting(path);
    const headerEnd = text?.indexOf('\n') ?? -1;
    if (text === null || headerEnd < 0) {
      // None, or killed while writing the header: nothing was journalled yet.
      await guard(path, () => writeFile(path, `${JSON.stringify(header)}\n`));
      return { journal: await SubmitJournal.append(path), header, outcomes: new Map(), resumed: false };
    }
    const existing = parseHeader(path, text.slice(0, headerEnd));
    const mismatches = headerMismatches(existing, header);
    if (mismatches.length > 0) {
      throw new SubmitError(
        'journal_mismatch',
        path,
        `this journal was made with ${mismatches.join('; ')}. Delete it or pass --restart to start over`,
      );
    }
    const lastEnd = text.lastIndexOf('\n');
    if (lastEnd < text.length - 1) {
      await guard(path, () => truncate(path, Buffer.byteLength(text.slice(0, lastEnd + 1))));
    }
    const outcomes = new Map<number, ClipOutcome>();
    const lines = text.slice(headerEnd + 1, lastEnd).split('\n');
    for (const [n, line] of lines.entries()) {
      if (line === '') continue;
      const record = decodeRecord(line, existing.listing.clips, existing.classes);
      if (record === null) {
        throw new SubmitError(
          'journal_corrupt',
          path,
          `line ${n + 2} is not a journal record. Delete the journal or pass --restart to start over`,
        );
      }
      outcomes.set(record.index, record.outcome);
    }
    return { journal: await SubmitJournal.append(path), header: existing, outcomes, resumed: true };
  }

  private static async append(path: string): Promise<SubmitJournal> {
    return new SubmitJournal(path, await guard(path, () => open(path, 'a')));
  }

  /** Appends the records of one batch in a single write, so a kill leaves at most one torn line. */
  async write(records: readonly { readonly index: number; readonly outcome: ClipOutcome }[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((r) => `${encodeRecord(r.index, r.outcome)}\n`).join('');
    await guard(this.path, () => this.handle.appendFile(text));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function parseHeader(path: string, line: string): JournalHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = null;
  }
  if (!isJournalHeader(value)) {
    throw new SubmitError(
      'journal_corrupt',
      path,
      'is not a submit journal (bad header line). Delete it or pass --restart to start over',
    );
  }
  return value;
}

async function readExisting(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SubmitError('output_unwritable', path, (err as Error).message, { cause: err });
  }
}

async function guard<T>(path: string, io: () => Promise<T>): Promise<T> {
  try {
    return await io();
  } catch (err) {
    throw new SubmitError('output_unwritable', path, (err as Error).message, { cause: err });
  }
}
