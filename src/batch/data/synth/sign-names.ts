/**
 * Invented names for the synthetic signs: pseudo-words, so that nothing of the real vocabulary ends up in
 * generated data unless a real sign map is passed on purpose (--sign-map).
 */
import { SynthRandom } from '../../random/pinned-generators.ts';

const ONSETS = [
  'b',
  'd',
  'f',
  'g',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'br',
  'kl',
  'st',
  'tr',
  'sh',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'oo'];
const CODAS = ['', '', '', 'n', 'r', 'l', 'k', 'sh', 'p'];

function pseudoWord(rng: SynthRandom): string {
  const syllables = rng.chance(0.55) ? 2 : rng.chance(0.7) ? 3 : 1;
  let word = '';
  for (let s = 0; s < syllables; s++) word += rng.pick(ONSETS) + rng.pick(VOWELS);
  return word + rng.pick(CODAS);
}

/**
 * `count` distinct names in ASCII order (so index order is key order, as in the real map). A few are
 * upper-case initialisms, as the real vocabulary has one ("TV"), so consumers meet mixed-case ordering.
 */
export function inventSignNames(count: number, seed: number): string[] {
  const rng = SynthRandom.from(seed, 'sign-names');
  const names = new Set<string>();
  while (names.size < count) {
    const name = rng.chance(0.01)
      ? rng.pick(ONSETS).toUpperCase().slice(0, 1) + rng.pick(['X', 'Q', 'V', 'Z'])
      : pseudoWord(rng);
    names.add(name);
  }
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
