import { describe, expect, it } from 'vitest';
import { generateClip } from '../../../../src/batch/data/synth/generate-clip.ts';
import { MAX_FRAMES } from '../../../../src/batch/data/synth/frame-count.ts';
import { SynthRandom } from '../../../../src/batch/random/pinned-generators.ts';
import { makeSignSpecs } from '../../../../src/batch/data/synth/sign-spec.ts';
import { makeSigners } from '../../../../src/batch/data/synth/signer.ts';
import { planTimeline } from '../../../../src/batch/data/synth/timeline.ts';
import { LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../../../src/shared/landmarks/layout.ts';
import type { Clip } from '../../../../src/shared/landmarks/clip.ts';

const SEED = 11;
const signs = makeSignSpecs(60, SEED);
const signers = makeSigners(21, SEED);

const quantile = (sorted: readonly number[], p: number): number =>
  sorted[Math.floor(p * (sorted.length - 1))]!;
const present = (clip: Clip, f: number, point: number): boolean =>
  !Number.isNaN(clip.data[f * VALUES_PER_FRAME + point * 3]!);

describe('signs and signers', () => {
  it('gives 21 signers distinct 5-digit participant ids, mostly right-dominant', () => {
    const ids = signers.map((s) => s.participantId);
    expect(new Set(ids).size).toBe(21);
    for (const id of ids) expect(String(id)).toMatch(/^\d{5}$/);
    const left = signers.filter((s) => s.dominant === 'left').length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(21 / 2);
  });

  it('makes some signs minimal-pair variants that differ from their parent in the stated aspect only', () => {
    const variants = signs.filter((s) => s.variantOf);
    expect(variants.length).toBeGreaterThan(5);
    for (const v of variants) {
      const parent = signs[v.variantOf!.sign]!;
      const same = {
        handshape: JSON.stringify(v.handshape) === JSON.stringify(parent.handshape),
        location: JSON.stringify(v.location) === JSON.stringify(parent.location),
        orientation: JSON.stringify(v.orientation) === JSON.stringify(parent.orientation),
        movement: JSON.stringify(v.movement) === JSON.stringify(parent.movement),
      };
      for (const [aspect, equal] of Object.entries(same))
        expect(equal, `${v.index} ${aspect}`).toBe(aspect !== v.variantOf!.differs);
    }
  });

  it('is a prefix-stable function of the seed', () => {
    expect(makeSignSpecs(10, SEED)).toEqual(signs.slice(0, 10));
    expect(makeSignSpecs(10, SEED + 1)).not.toEqual(signs.slice(0, 10));
  });
});

describe('frame counts', () => {
  it('follow the real distribution: median near 20, long tail to several hundred, 2..537', () => {
    const rng = new SynthRandom(3);
    const counts: number[] = [];
    const firsts: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = planTimeline(rng, signers[i % 21]!.tempo * signs[i % 60]!.duration);
      counts.push(t.frameCount);
      firsts.push(t.firstFrame);
    }
    counts.sort((a, b) => a - b);
    firsts.sort((a, b) => a - b);
    expect(quantile(counts, 0.5)).toBeGreaterThanOrEqual(17);
    expect(quantile(counts, 0.5)).toBeLessThanOrEqual(23);
    expect(quantile(counts, 0.9)).toBeGreaterThan(40);
    expect(quantile(counts, 0.99)).toBeGreaterThan(120);
    expect(counts[0]).toBeGreaterThanOrEqual(2);
    expect(counts.at(-1)).toBeLessThanOrEqual(MAX_FRAMES);
    expect(counts.filter((c) => c <= 5).length).toBeGreaterThan(0);
    expect(firsts.filter((f) => f === 0).length / firsts.length).toBeGreaterThan(0.03);
    expect(quantile(firsts, 0.5)).toBeGreaterThan(10);
    expect(quantile(firsts, 0.5)).toBeLessThan(30);
    expect(quantile(firsts, 0.95)).toBeGreaterThan(75);
    expect(firsts.at(-1)).toBeGreaterThanOrEqual(100);
  });
});

describe('generateClip', () => {
  const clips = Array.from({ length: 240 }, (_, i) => ({
    signer: signers[i % 21]!,
    sign: signs[(i * 7) % 60]!,
    clip: generateClip(signs[(i * 7) % 60]!, signers[i % 21]!, 1000 + i),
  }));

  it('is deterministic in its seed', () => {
    const a = generateClip(signs[3]!, signers[4]!, 99);
    expect(generateClip(signs[3]!, signers[4]!, 99)).toEqual(a);
    expect(generateClip(signs[3]!, signers[4]!, 100).data).not.toEqual(a.data);
  });

  it('loses whole hands in about 70% of hand-frames, the non-dominant one mostly for the whole clip', () => {
    let handFrames = 0;
    let missing = 0;
    let dominantMissing = 0;
    let otherAbsentThroughout = 0;
    for (const { signer, clip } of clips) {
      const [dominant, other] =
        signer.dominant === 'left'
          ? [LANDMARK_OFFSETS.left_hand, LANDMARK_OFFSETS.right_hand]
          : [LANDMARK_OFFSETS.right_hand, LANDMARK_OFFSETS.left_hand];
      let otherSeen = false;
      for (let f = 0; f < clip.frameCount; f++) {
        handFrames += 2;
        if (!present(clip, f, dominant)) {
          missing++;
          dominantMissing++;
        }
        if (!present(clip, f, other)) missing++;
        else otherSeen = true;
      }
      if (!otherSeen) otherAbsentThroughout++;
    }
    expect(missing / handFrames).toBeGreaterThan(0.6);
    expect(missing / handFrames).toBeLessThan(0.8);
    expect(dominantMissing / (handFrames / 2)).toBeLessThan(0.6);
    expect(otherAbsentThroughout / clips.length).toBeGreaterThan(0.4);
  });

  it('puts the dominant hand on its own side of the face', () => {
    let agree = 0;
    let counted = 0;
    for (const { signer, clip } of clips) {
      const hand = signer.dominant === 'left' ? LANDMARK_OFFSETS.left_hand : LANDMARK_OFFSETS.right_hand;
      for (let f = 0; f < clip.frameCount; f++) {
        if (!present(clip, f, hand) || !present(clip, f, 1)) continue;
        const dx = clip.data[f * VALUES_PER_FRAME + hand * 3]! - clip.data[f * VALUES_PER_FRAME + 1 * 3]!;
        counted++;
        if ((signer.dominant === 'left') === dx > 0) agree++;
      }
    }
    // Some signs cross the midline (e.g. to the other shoulder); swapped sides would score about 0.2.
    expect(agree / counted).toBeGreaterThan(0.75);
  });

  it('keeps pose complete, the face nearly so, coordinates in MediaPipe ranges and hand wrists at depth 0', () => {
    let frames = 0;
    let faceMissing = 0;
    const problems: string[] = [];
    for (const [k, { clip }] of clips.entries()) {
      for (let f = 0; f < clip.frameCount; f++) {
        const base = f * VALUES_PER_FRAME;
        frames++;
        for (let p = 0; p < 33; p++) {
          if (!present(clip, f, LANDMARK_OFFSETS.pose + p))
            problems.push(`clip ${k} frame ${f}: pose ${p} missing`);
        }
        if (!present(clip, f, 1)) faceMissing++;
        else {
          const [noseX, noseY] = [clip.data[base + 3]!, clip.data[base + 4]!];
          if (noseX < 0.1 || noseX > 0.9 || noseY < 0.05 || noseY > 0.8)
            problems.push(`clip ${k}: nose at ${noseX},${noseY}`);
        }
        for (const hand of [LANDMARK_OFFSETS.left_hand, LANDMARK_OFFSETS.right_hand]) {
          if (present(clip, f, hand) && clip.data[base + hand * 3 + 2] !== 0)
            problems.push(`clip ${k}: wrist z != 0`);
        }
        // Missing means a whole hand or the whole face: never a stray NaN inside a tracked part.
        for (const [start, count] of [
          [LANDMARK_OFFSETS.face, 468],
          [LANDMARK_OFFSETS.left_hand, 21],
          [LANDMARK_OFFSETS.right_hand, 21],
        ] as const) {
          let nans = 0;
          for (let i = base + start * 3; i < base + (start + count) * 3; i++)
            if (Number.isNaN(clip.data[i]!)) nans++;
          if (nans !== 0 && nans !== count * 3)
            problems.push(`clip ${k} frame ${f}: ${nans} NaN at ${start}`);
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(faceMissing / frames).toBeLessThan(0.05);
  });

  it('moves the lips with the mouth program', () => {
    const opening = (clip: Clip): number[] => {
      const out: number[] = [];
      for (let f = 0; f < clip.frameCount; f++) {
        if (!present(clip, f, 13)) continue;
        out.push(
          clip.data[f * VALUES_PER_FRAME + 14 * 3 + 1]! - clip.data[f * VALUES_PER_FRAME + 13 * 3 + 1]!,
        );
      }
      return out;
    };
    const spread = (style: string): number => {
      const values = clips.filter((c) => c.sign.mouthStyle === style).flatMap((c) => opening(c.clip));
      return Math.max(...values) - Math.min(...values);
    };
    expect(spread('mouthing')).toBeGreaterThan(3 * spread('neutral'));
  });
});
