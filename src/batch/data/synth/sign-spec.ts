/**
 * The phonology of a synthetic sign: handshape (and an optional change of handshape), location, palm
 * orientation, movement, the use of the second hand and a mouth program. Some signs are deliberately made as
 * variants of an earlier sign that differ in a single aspect, as minimal pairs do in real sign languages.
 *
 * Sign i depends only on the seed, i and the signs before it, so a smaller --signs gives a prefix of a larger
 * set.
 */
import type { Handshape } from './handshape.ts';
import { jitterHandshape } from './handshape.ts';
import type { HandshapeName } from './handshape-library.ts';
import { HANDSHAPE_CHANGES, HANDSHAPE_NAMES, HANDSHAPES } from './handshape-library.ts';
import type { HandOrientation, OrientationName } from './hand-orientation.ts';
import { jitterOrientation, ORIENTATION_NAMES, ORIENTATIONS } from './hand-orientation.ts';
import type { LocationName } from './locations.ts';
import { BASE_LOCATION, LOCATION_NAMES, LOCATIONS } from './locations.ts';
import type { MouthProgram, MouthStyle } from './mouth-program.ts';
import { makeMouthProgram, randomMouthStyle } from './mouth-program.ts';
import type { Movement, MovementKind } from './sign-movement.ts';
import { SynthRandom } from '../../random/pinned-generators.ts';
import type { Vec3 } from './vec3.ts';
import { add, DEG, normalize } from './vec3.ts';

export type HandsUse = 'one' | 'mirror' | 'alternate' | 'base';
export type SignAspect = 'handshape' | 'location' | 'orientation' | 'movement';

export interface BaseHand {
  readonly handshape: Handshape;
  /** Where the base hand would be if it were the dominant hand; it is mirrored to the other side. */
  readonly location: Vec3;
  readonly orientation: HandOrientation;
}

export interface SignSpec {
  readonly index: number;
  readonly handshapeName: HandshapeName;
  readonly handshape: Handshape;
  readonly endHandshape: Handshape | null;
  readonly locationName: LocationName | 'onBase';
  readonly location: Vec3;
  readonly orientationName: OrientationName;
  readonly orientation: HandOrientation;
  readonly movement: Movement;
  readonly hands: HandsUse;
  readonly base: BaseHand | null;
  readonly mouthStyle: MouthStyle;
  readonly mouth: MouthProgram;
  /** Relative length of the sign (more repetitions take longer). */
  readonly duration: number;
  readonly variantOf: { readonly sign: number; readonly differs: SignAspect } | null;
}

const DIRECTIONS: readonly Vec3[] = [
  [0, 0, -1],
  [0, 1, 0],
  [0, -1, 0],
  [-1, 0, 0],
  [1, 0, 0],
  normalize([0, 0.7, -0.7]),
  normalize([0, -0.7, -0.7]),
  normalize([-0.7, 0.7, 0]),
  normalize([0.7, 0.7, 0]),
  normalize([-0.7, 0, -0.7]),
  normalize([0.7, 0, -0.7]),
];

const PLANES: readonly (readonly [Vec3, Vec3])[] = [
  [
    [1, 0, 0],
    [0, 1, 0],
  ],
  [
    [1, 0, 0],
    [0, 0, 1],
  ],
  [
    [0, 1, 0],
    [0, 0, 1],
  ],
];

const MOVEMENT_WEIGHTS: Readonly<Record<MovementKind, number>> = {
  hold: 0.6,
  line: 2,
  arc: 1.5,
  circle: 1.2,
  taps: 1.6,
  zigzag: 0.6,
  shake: 0.8,
  twist: 0.7,
  wiggle: 0.5,
};
const MOVEMENT_KINDS = Object.keys(MOVEMENT_WEIGHTS) as MovementKind[];

const HANDSHAPE_WEIGHTS: Partial<Record<HandshapeName, number>> = {
  B: 2.5,
  flatB: 2,
  five: 2.5,
  one: 2.5,
  A: 1.5,
  S: 1.5,
  flatO: 1.5,
  C: 1.2,
  V: 1.2,
};

const VARIANT_CHANCE = 0.45;
const ASPECT_WEIGHTS: readonly (readonly [SignAspect, number])[] = [
  ['movement', 0.45],
  ['handshape', 0.3],
  ['location', 0.15],
  ['orientation', 0.1],
];

function pickWeighted<T extends string>(
  rng: SynthRandom,
  names: readonly T[],
  weight: (name: T) => number,
): T {
  return names[rng.weightedIndex(names.map(weight))]!;
}

function drawHandshape(rng: SynthRandom): Pick<SignSpec, 'handshapeName' | 'handshape' | 'endHandshape'> {
  const normal = (): number => rng.normal();
  if (rng.chance(0.18)) {
    const [from, to] = rng.pick(HANDSHAPE_CHANGES);
    return {
      handshapeName: from,
      handshape: jitterHandshape(HANDSHAPES[from], 5 * DEG, normal),
      endHandshape: jitterHandshape(HANDSHAPES[to], 5 * DEG, normal),
    };
  }
  const name = pickWeighted(rng, HANDSHAPE_NAMES, (n) => HANDSHAPE_WEIGHTS[n] ?? 1);
  return {
    handshapeName: name,
    handshape: jitterHandshape(HANDSHAPES[name], 5 * DEG, normal),
    endHandshape: null,
  };
}

function drawLocation(rng: SynthRandom): Pick<SignSpec, 'locationName' | 'location'> {
  const name = pickWeighted(rng, LOCATION_NAMES, (n) => LOCATIONS[n].weight);
  const at = LOCATIONS[name].at;
  return {
    locationName: name,
    location: add(at, [rng.normal(0, 0.06), rng.normal(0, 0.06), rng.normal(0, 0.06)]),
  };
}

function drawOrientation(rng: SynthRandom): Pick<SignSpec, 'orientationName' | 'orientation'> {
  const name = rng.pick(ORIENTATION_NAMES);
  return {
    orientationName: name,
    orientation: jitterOrientation(ORIENTATIONS[name], 8 * DEG, () => rng.normal()),
  };
}

function drawMovement(
  rng: SynthRandom,
  kind: MovementKind = pickWeighted(rng, MOVEMENT_KINDS, (k) => MOVEMENT_WEIGHTS[k]),
): Movement {
  switch (kind) {
    case 'hold':
      return { kind, drift: [rng.normal(0, 0.05), rng.normal(0, 0.05), rng.normal(0, 0.05)] };
    case 'line':
      return { kind, dir: rng.pick(DIRECTIONS), length: rng.uniform(0.5, 1.3) };
    case 'arc': {
      const [dir, bulgeDir] = rng.shuffle([...rng.pick(PLANES)]) as [Vec3, Vec3];
      const bulge = rng.uniform(0.2, 0.45) * (rng.chance(0.5) ? 1 : -1);
      return {
        kind,
        dir,
        bulge: [bulgeDir[0] * bulge, bulgeDir[1] * bulge, bulgeDir[2] * bulge],
        length: rng.uniform(0.6, 1.3),
      };
    }
    case 'circle': {
      const [u, v] = rng.pick(PLANES);
      const flip = rng.chance(0.5) ? 1 : -1;
      return {
        kind,
        u,
        v: [v[0] * flip, v[1] * flip, v[2] * flip],
        radius: rng.uniform(0.25, 0.55),
        turns: rng.chance(0.6) ? 1 : 2,
      };
    }
    case 'taps':
      return { kind, dir: rng.pick(DIRECTIONS), depth: rng.uniform(0.12, 0.28), count: rng.int(2, 3) };
    case 'zigzag':
      return {
        kind,
        dir: rng.pick(DIRECTIONS),
        sweep: [0, rng.uniform(0.3, 0.8), 0],
        amplitude: rng.uniform(0.15, 0.3),
        count: rng.int(2, 3),
      };
    case 'shake':
      return { kind, dir: rng.pick(DIRECTIONS), amplitude: rng.uniform(0.1, 0.22), count: rng.int(2, 4) };
    case 'twist':
      return { kind, angle: rng.uniform(40, 80) * DEG * (rng.chance(0.5) ? 1 : -1), count: rng.int(1, 3) };
    case 'wiggle':
      return { kind, amplitude: rng.uniform(30, 60) * DEG, count: rng.int(2, 4) };
  }
}

function movementDuration(m: Movement): number {
  const reps = 'count' in m ? m.count : m.kind === 'circle' ? m.turns : 1;
  return 0.85 + 0.12 * (reps - 1);
}

interface HandsChoice {
  readonly hands: HandsUse;
  readonly base: BaseHand | null;
  readonly location: Vec3;
  readonly locationName: LocationName | 'onBase';
}

function drawHands(rng: SynthRandom, place: Pick<SignSpec, 'locationName' | 'location'>): HandsChoice {
  const r = rng.next();
  if (r < 0.7) return { hands: 'one', base: null, ...place };
  if (r < 0.9) {
    // Two hands doing the same thing need room between them.
    const at = place.location;
    return {
      hands: r < 0.82 ? 'mirror' : 'alternate',
      base: null,
      locationName: place.locationName,
      location: [Math.max(at[0], 0.35), at[1], at[2]],
    };
  }
  const baseName = rng.pick<HandshapeName>(['B', 'flatB', 'S', 'five', 'one', 'C']);
  const baseOrientation = rng.pick<OrientationName>([
    'palmUp',
    'palmMidline',
    'palmDown',
    'fingersMidlinePalmIn',
  ]);
  const base: BaseHand = {
    handshape: jitterHandshape(HANDSHAPES[baseName], 4 * DEG, () => rng.normal()),
    location: [-BASE_LOCATION[0], BASE_LOCATION[1], BASE_LOCATION[2]],
    orientation: jitterOrientation(ORIENTATIONS[baseOrientation], 6 * DEG, () => rng.normal()),
  };
  // The dominant hand works just above and beside the base hand.
  const location: Vec3 = [BASE_LOCATION[0] + 0.15, BASE_LOCATION[1] - 0.35, BASE_LOCATION[2] - 0.05];
  return { hands: 'base', base, location, locationName: 'onBase' };
}

function freshSign(index: number, rng: SynthRandom): SignSpec {
  const shape = drawHandshape(rng);
  const orient = drawOrientation(rng);
  const movement = drawMovement(rng);
  const hands = drawHands(rng, drawLocation(rng));
  const mouthStyle = randomMouthStyle(rng);
  return {
    index,
    ...shape,
    ...hands,
    ...orient,
    movement,
    mouthStyle,
    mouth: makeMouthProgram(mouthStyle, rng),
    duration: movementDuration(movement) * rng.uniform(0.9, 1.15),
    variantOf: null,
  };
}

function variantSign(index: number, parent: SignSpec, rng: SynthRandom): SignSpec {
  // Redraw until the aspect really differs; the other aspects stay exactly the parent's.
  for (;;) {
    const differs = ASPECT_WEIGHTS[rng.weightedIndex(ASPECT_WEIGHTS.map(([, w]) => w))]![0];
    const variantOf = { sign: parent.index, differs };
    switch (differs) {
      case 'handshape': {
        const shape = drawHandshape(rng);
        if (shape.handshapeName === parent.handshapeName) continue;
        return { ...parent, ...shape, index, variantOf };
      }
      case 'location': {
        if (parent.hands === 'base') continue;
        const place = drawLocation(rng);
        if (place.locationName === parent.locationName) continue;
        const location: Vec3 =
          parent.hands === 'one'
            ? place.location
            : [Math.max(place.location[0], 0.35), place.location[1], place.location[2]];
        return { ...parent, ...place, location, index, variantOf };
      }
      case 'orientation': {
        const orient = drawOrientation(rng);
        if (orient.orientationName === parent.orientationName) continue;
        return { ...parent, ...orient, index, variantOf };
      }
      case 'movement': {
        const movement = drawMovement(rng);
        if (movement.kind === parent.movement.kind && movement.kind === 'hold') continue;
        if (
          movement.kind === parent.movement.kind &&
          JSON.stringify(movement) === JSON.stringify(parent.movement)
        )
          continue;
        return {
          ...parent,
          movement,
          duration: movementDuration(movement) * rng.uniform(0.9, 1.15),
          index,
          variantOf,
        };
      }
    }
  }
}

export function makeSignSpecs(count: number, seed: number): SignSpec[] {
  const signs: SignSpec[] = [];
  for (let i = 0; i < count; i++) {
    const rng = SynthRandom.from(seed, 'sign', i);
    const parent = i >= 4 && rng.chance(VARIANT_CHANCE) ? signs[rng.int(0, i - 1)]! : null;
    signs.push(parent ? variantSign(i, parent, rng) : freshSign(i, rng));
  }
  return signs;
}
