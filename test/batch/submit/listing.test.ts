import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listingDigest } from '../../../src/batch/submit/clip-listing.ts';
import { parseListingCsv } from '../../../src/batch/submit/read-listing-csv.ts';
import { resolveListing } from '../../../src/batch/submit/resolve-listing.ts';
import { SubmitError } from '../../../src/batch/submit/submit-error.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-submit-listing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return err instanceof SubmitError ? err.code : `not a SubmitError: ${String(err)}`;
  }
  return undefined;
}

describe('parseListingCsv', () => {
  it('reads path and sequence_id, with participant_id and sign optional, in file order', () => {
    const text = 'sequence_id,path,extra\n0042,a/42.parquet,x\n7,b/7.parquet,y\n';
    const clips = parseListingCsv(text, 'list.csv', '/data');
    expect(clips).toEqual([
      { path: 'a/42.parquet', file: '/data/a/42.parquet', sequenceId: '42', participantId: null, sign: null },
      { path: 'b/7.parquet', file: '/data/b/7.parquet', sequenceId: '7', participantId: null, sign: null },
    ]);
    const labelled = parseListingCsv(
      'path,participant_id,sequence_id,sign\np.parquet,26734,4294967295,hello\n',
      's',
      '/d',
    );
    expect(labelled[0]).toMatchObject({ participantId: 26734, sequenceId: '4294967295', sign: 'hello' });
  });

  it('refuses a listing it cannot trust, naming the line', () => {
    expect(codeOf(() => parseListingCsv('path,participant_id\na,1\n', 's', '/d'))).toBe('listing_invalid');
    expect(codeOf(() => parseListingCsv('path,sequence_id\na,1\nb,01\n', 's', '/d'))).toBe('listing_invalid');
    expect(codeOf(() => parseListingCsv('path,sequence_id\na,-3\n', 's', '/d'))).toBe('listing_invalid');
    expect(codeOf(() => parseListingCsv('path,sequence_id\n,3\n', 's', '/d'))).toBe('listing_invalid');
    expect(codeOf(() => parseListingCsv('path,sequence_id\n', 's', '/d'))).toBe('no_clips');
    expect(() => parseListingCsv('path,sequence_id\na,1\nb,1\n', 'x.csv', '/d')).toThrow(
      /x.csv: line 3: sequence_id 1 repeats/,
    );
  });

  it('binds a digest to the clips and their order', () => {
    const a = parseListingCsv('path,sequence_id\na,1\nb,2\n', 's', '/d');
    const b = parseListingCsv('path,sequence_id\nb,2\na,1\n', 's', '/elsewhere');
    expect(listingDigest(a)).not.toBe(listingDigest(b));
    expect(listingDigest(a)).toBe(
      listingDigest(parseListingCsv('path,sequence_id\na,1\nb,2\n', 's', '/moved')),
    );
  });
});

describe('resolveListing', () => {
  it('prefers --csv, then test.csv, then train.csv, then every parquet file under the directory', async () => {
    const dir = join(root, 'auto');
    mkdirSync(join(dir, 'p', '12'), { recursive: true });
    for (const name of ['p/12/300.parquet', 'p/12/20.parquet', 'p/9.parquet', 'notes.txt'])
      writeFileSync(join(dir, name), '');
    const scanned = await resolveListing(dir);
    expect(scanned.kind).toBe('directory');
    expect(scanned.clips.map((c) => [c.path, c.sequenceId])).toEqual([
      ['p/12/20.parquet', '20'],
      ['p/12/300.parquet', '300'],
      ['p/9.parquet', '9'],
    ]);
    writeFileSync(join(dir, 'train.csv'), 'path,sequence_id,sign\np/9.parquet,9,hello\n');
    expect((await resolveListing(dir)).source).toBe(join(dir, 'train.csv'));
    writeFileSync(join(dir, 'test.csv'), 'path,sequence_id\np/12/20.parquet,20\n');
    expect((await resolveListing(dir)).source).toBe(join(dir, 'test.csv'));
    const chosen = await resolveListing(dir, join(dir, 'train.csv'));
    expect(chosen.clips).toEqual([
      {
        path: 'p/9.parquet',
        file: join(dir, 'p/9.parquet'),
        sequenceId: '9',
        participantId: null,
        sign: 'hello',
      },
    ]);
  });

  it('names what is wrong with the data directory', async () => {
    await expect(resolveListing(join(root, 'nowhere'))).rejects.toMatchObject({ code: 'listing_unreadable' });
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(resolveListing(empty)).rejects.toMatchObject({ code: 'no_clips', source: empty });
    const named = join(root, 'named');
    mkdirSync(named);
    writeFileSync(join(named, 'clip.parquet'), '');
    await expect(resolveListing(named)).rejects.toThrow(/clip.parquet: the file name is not a sequence_id/);
  });
});
