/**
 * One synthetic clip: a signer performing a sign, as MediaPipe Holistic would report it. Builds the body
 * frame by frame (hands from the sign's handshape, location, orientation and movement; face with the mouth
 * program; pose from the body and the hands), projects it through the signer's camera, adds tracking
 * noise and drops hands and face where the tracker would lose them.
 */
import type { Clip } from '../../../shared/landmarks/clip.ts';
import { LANDMARK_OFFSETS, VALUES_PER_FRAME } from '../../../shared/landmarks/layout.ts';
import type { BaseHand, SignSpec } from './sign-spec.ts';
import type { SignerSpec } from './signer.ts';
import { posePoints, poseDepth, POSE_POINTS } from './body-pose.ts';
import { buildFaceTemplate, CLOSED_MOUTH, FACE_POINTS, poseFace } from './face-mesh.ts';
import type { FingerPose, Handshape } from './handshape.ts';
import { HAND_POINTS, jitterHandshape, mixHandshapes } from './handshape.ts';
import { HANDSHAPES } from './handshape-library.ts';
import type { HandOrientation } from './hand-orientation.ts';
import { jitterOrientation, REST_ORIENTATION } from './hand-orientation.ts';
import type { HandPlacement } from './hand-pose.ts';
import { lerpOrientation, placeHand } from './hand-pose.ts';
import { REST_LAP, REST_LOW } from './locations.ts';
import { mouthAt } from './mouth-program.ts';
import { ease, movementAt } from './sign-movement.ts';
import { SynthRandom } from '../../random/pinned-generators.ts';
import type { Moment } from './timeline.ts';
import { momentAt, planTimeline } from './timeline.ts';
import { faceDropout, handPresence } from './tracking.ts';
import type { Mat3, Vec3 } from './vec3.ts';
import { add, apply, DEG, lerp, mul, rotX, rotY, rotZ } from './vec3.ts';

const REST_SHAPE: Handshape = mixHandshapes(HANDSHAPES.flatB, HANDSHAPES.S, 0.3);
const FACE = LANDMARK_OFFSETS.face;
const LEFT = LANDMARK_OFFSETS.left_hand;
const POSE = LANDMARK_OFFSETS.pose;
const RIGHT = LANDMARK_OFFSETS.right_hand;

/** Bends extended fingers a little (signer laxness) and adds per-finger flexion (finger wiggles). */
function flexFingers(shape: Handshape, extra: readonly number[]): Handshape {
  const bend = (f: FingerPose, k: number): FingerPose => ({
    ...f,
    mcp: f.mcp + 0.6 * (extra[k] ?? 0),
    pip: f.pip + 0.4 * (extra[k] ?? 0),
  });
  const [index, middle, ring, pinky] = shape.fingers;
  return { thumb: shape.thumb, fingers: [bend(index, 0), bend(middle, 1), bend(ring, 2), bend(pinky, 3)] };
}

/** A first-order autoregressive wobble: slow drift for sway, fast for tracker jitter. */
class Wobble {
  private value = 0;
  private readonly rng: SynthRandom;
  private readonly keep: number;
  private readonly sd: number;
  constructor(rng: SynthRandom, keep: number, sd: number) {
    this.rng = rng;
    this.keep = keep;
    this.sd = sd;
  }
  next(): number {
    this.value = this.keep * this.value + this.sd * this.rng.normal();
    return this.value;
  }
}

interface ClipVariation {
  readonly amplitude: number;
  readonly location: Vec3;
  readonly orientation: HandOrientation;
  readonly shape: Handshape;
  readonly endShape: Handshape | null;
  readonly base: BaseHand | null;
  readonly mouthGain: number;
  readonly dominantRest: Vec3;
  readonly otherRest: Vec3;
  readonly headYaw: number;
  readonly headPitch: number;
  readonly headRoll: number;
  /** The legs are out of the picture: the tracker's depth for them wanders from clip to clip. */
  readonly legDepth: readonly [number, number];
}

function varyClip(sign: SignSpec, signer: SignerSpec, rng: SynthRandom): ClipVariation {
  const normal = (): number => rng.normal();
  const lax = [signer.laxness, signer.laxness, signer.laxness, signer.laxness];
  const shape = flexFingers(jitterHandshape(sign.handshape, 8 * DEG, normal), lax);
  const jitter = (sd: number): Vec3 => [rng.normal(0, sd), rng.normal(0, sd), rng.normal(0, sd)];
  return {
    amplitude: signer.amplitude * rng.uniform(0.75, 1.25),
    location: add(add(sign.location, signer.locationBias), jitter(0.12)),
    orientation: jitterOrientation(
      { ...sign.orientation, roll: sign.orientation.roll - signer.handLean },
      12 * DEG,
      normal,
    ),
    shape,
    endShape: sign.endHandshape
      ? flexFingers(jitterHandshape(sign.endHandshape, 8 * DEG, normal), lax)
      : null,
    base: sign.base
      ? {
          handshape: jitterHandshape(sign.base.handshape, 4 * DEG, normal),
          location: add(add(sign.base.location, signer.locationBias), jitter(0.05)),
          orientation: jitterOrientation(sign.base.orientation, 6 * DEG, normal),
        }
      : null,
    mouthGain: signer.mouthGain * rng.uniform(0.7, 1.3),
    dominantRest: add(REST_LOW, jitter(0.1)),
    otherRest: add(signer.tracking.lapRest ? REST_LAP : REST_LOW, jitter(0.1)),
    headYaw: rng.normal(0, 5) * DEG,
    headPitch: signer.headPitch + rng.normal(0, 3) * DEG,
    headRoll: signer.headRoll + rng.normal(0, 2) * DEG,
    legDepth: [rng.normal(0, 0.3), rng.normal(0, 0.3)],
  };
}

function signPlacement(sign: SignSpec, v: ClipVariation, moment: Moment, u: number): HandPlacement {
  const move = movementAt(sign.movement, u, v.amplitude);
  const signShape = v.endShape ? mixHandshapes(v.shape, v.endShape, ease(u)) : v.shape;
  const a = moment.activity;
  return {
    shape: mixHandshapes(REST_SHAPE, flexFingers(signShape, move.flex), a),
    palm: lerp(v.dominantRest, add(v.location, move.offset), a),
    orientation: lerpOrientation(REST_ORIENTATION, v.orientation, a),
    twist: move.twist * a,
  };
}

function otherPlacement(
  sign: SignSpec,
  v: ClipVariation,
  moment: Moment,
  dominant: HandPlacement,
): HandPlacement {
  const a = moment.activity;
  switch (sign.hands) {
    case 'one':
      return { shape: REST_SHAPE, palm: v.otherRest, orientation: REST_ORIENTATION, twist: 0 };
    case 'mirror':
      return {
        ...dominant,
        palm: lerp(v.otherRest, add(v.location, movementAt(sign.movement, moment.u, v.amplitude).offset), a),
      };
    case 'alternate': {
      const move = movementAt(sign.movement, 1 - moment.u, v.amplitude);
      return { ...dominant, palm: lerp(v.otherRest, add(v.location, move.offset), a), twist: move.twist * a };
    }
    case 'base': {
      const base = v.base!;
      return {
        shape: mixHandshapes(REST_SHAPE, base.handshape, a),
        palm: lerp(v.otherRest, base.location, a),
        orientation: lerpOrientation(REST_ORIENTATION, base.orientation, a),
        twist: 0,
      };
    }
  }
}

function headRotation(yaw: number, pitch: number, roll: number): Mat3 {
  return mul(rotZ(roll), mul(rotX(-pitch), rotY(yaw)));
}

/** Generates the clip for `sign` performed by `signer`; the same seed always gives the same clip. */
export function generateClip(sign: SignSpec, signer: SignerSpec, seed: number): Clip {
  const rng = new SynthRandom(seed);
  const timeline = planTimeline(rng, signer.tempo * sign.duration);
  const n = timeline.frameCount;
  const v = varyClip(sign, signer, rng);
  const { camera, body } = signer;
  const mirror = signer.dominant === 'right' ? -1 : 1;
  const sx = camera.scale * camera.aspect;
  const cosR = Math.cos(camera.roll);
  const sinR = Math.sin(camera.roll);
  const template = buildFaceTemplate(signer.face);

  const data = new Float32Array(n * VALUES_PER_FRAME);
  const dominant = new Float64Array(HAND_POINTS * 3);
  const other = new Float64Array(HAND_POINTS * 3);
  const faceLocal = new Float64Array(FACE_POINTS * 3);
  const faceBody = new Float64Array(FACE_POINTS * 3);
  const pose = new Float64Array(POSE_POINTS * 3);
  const visible = { dominant: new Uint8Array(n), other: new Uint8Array(n) };
  const speed = { dominant: new Float64Array(n), other: new Float64Array(n) };
  const lastPalm: { dominant: Vec3 | null; other: Vec3 | null } = { dominant: null, other: null };

  const sway = [new Wobble(rng, 0.9, 0.01), new Wobble(rng, 0.9, 0.01), new Wobble(rng, 0.9, 0.01)];
  const headTurn = [
    new Wobble(rng, 0.9, 0.8 * DEG),
    new Wobble(rng, 0.9, 0.8 * DEG),
    new Wobble(rng, 0.9, 0.5 * DEG),
  ];
  const faceJitter = [new Wobble(rng, 0.5, 0.0012), new Wobble(rng, 0.5, 0.0012)];
  const handJitter = [0, 1, 2, 3].map(() => new Wobble(rng, 0.5, 0.003));

  const project = (X: number, Y: number): [number, number] => {
    const xr = X * cosR - Y * sinR;
    const yr = X * sinR + Y * cosR;
    return [camera.cx + sx * xr, camera.cy + camera.scale * yr];
  };

  /** Signer-centric hand points -> image-oriented body frame (the dominant side becomes image left or right). */
  const toBody = (points: Float64Array): void => {
    for (let i = 0; i < HAND_POINTS; i++) points[i * 3] = mirror * points[i * 3]!;
  };

  const writeHand = (
    frame: number,
    points: Float64Array,
    offset: number,
    jitter: readonly Wobble[],
  ): void => {
    const base = frame * VALUES_PER_FRAME + offset * 3;
    const [wristX, wristY, wristZ] = [points[0]!, points[1]!, points[2]!];
    const jx = jitter[0]!.next();
    const jy = jitter[1]!.next();
    const glitch = rng.chance(0.03) ? 0.01 : 0.0025;
    for (let i = 0; i < HAND_POINTS; i++) {
      const [x, y] = project(points[i * 3]!, points[i * 3 + 1]!);
      data[base + i * 3] = x + jx + rng.normal(0, glitch);
      data[base + i * 3 + 1] = y + jy + rng.normal(0, glitch);
      // MediaPipe's hand depth is relative to the wrist and leans towards the camera the further a point is
      // from the wrist.
      const reach = Math.hypot(points[i * 3]! - wristX, points[i * 3 + 1]! - wristY) / body.handSize;
      data[base + i * 3 + 2] =
        i === 0 ? 0 : 0.7 * sx * (points[i * 3 + 2]! - wristZ) - 0.05 * reach + rng.normal(0, glitch);
    }
  };

  const track = (which: 'dominant' | 'other', frame: number, points: Float64Array): void => {
    const palm: Vec3 = [
      (points[0]! + points[27]!) / 2,
      (points[1]! + points[28]!) / 2,
      (points[2]! + points[29]!) / 2,
    ];
    const [x, y] = project(palm[0], palm[1]);
    visible[which][frame] = x > -0.03 && x < 1.03 && y > -0.03 && y < 1.0 ? 1 : 0;
    const last = lastPalm[which];
    speed[which][frame] = last ? Math.hypot(palm[0] - last[0], palm[1] - last[1], palm[2] - last[2]) : 0;
    lastPalm[which] = palm;
  };

  for (let f = 0; f < n; f++) {
    const moment = momentAt(timeline, f);
    const idle: Vec3 = [sway[0]!.next(), sway[1]!.next(), sway[2]!.next()];

    const dominantPlacement = signPlacement(sign, v, moment, moment.u);
    placeHand(
      { ...dominantPlacement, palm: add(dominantPlacement.palm, idle) },
      body.handSize,
      false,
      dominant,
    );
    const otherP = otherPlacement(sign, v, moment, dominantPlacement);
    placeHand({ ...otherP, palm: add(otherP.palm, idle) }, body.handSize, true, other);
    toBody(dominant);
    toBody(other);
    track('dominant', f, dominant);
    track('other', f, other);

    const rot = headRotation(
      v.headYaw + headTurn[0]!.next(),
      v.headPitch + headTurn[1]!.next(),
      v.headRoll + headTurn[2]!.next(),
    );
    const headCenter: Vec3 = [idle[0] * 2, idle[1], idle[2]];
    const mouth =
      moment.activity > 0 ? mouthAt(sign.mouth, moment.u, v.mouthGain * moment.activity) : CLOSED_MOUTH;
    poseFace(template, mouth, faceLocal);
    const faceBase = f * VALUES_PER_FRAME + FACE * 3;
    const fjx = faceJitter[0]!.next();
    const fjy = faceJitter[1]!.next();
    for (let i = 0; i < FACE_POINTS; i++) {
      const p = apply(rot, [faceLocal[i * 3]!, faceLocal[i * 3 + 1]!, faceLocal[i * 3 + 2]!]);
      faceBody[i * 3] = p[0] + headCenter[0];
      faceBody[i * 3 + 1] = p[1] + headCenter[1];
      faceBody[i * 3 + 2] = p[2] + headCenter[2];
      const [x, y] = project(faceBody[i * 3]!, faceBody[i * 3 + 1]!);
      data[faceBase + i * 3] = x + fjx + rng.normal(0, 0.0008);
      data[faceBase + i * 3 + 1] = y + fjy + rng.normal(0, 0.0008);
      data[faceBase + i * 3 + 2] = sx * p[2] + rng.normal(0, 0.001);
    }

    const [leftHand, rightHand] = signer.dominant === 'left' ? [dominant, other] : [other, dominant];
    writeHand(f, leftHand, LEFT, signer.dominant === 'left' ? handJitter.slice(0, 2) : handJitter.slice(2));
    writeHand(f, rightHand, RIGHT, signer.dominant === 'left' ? handJitter.slice(2) : handJitter.slice(0, 2));

    posePoints(
      { body, face: faceBody, headCenter, headLeft: apply(rot, [1, 0, 0]), leftHand, rightHand },
      pose,
    );
    const poseBase = f * VALUES_PER_FRAME + POSE * 3;
    for (let i = 0; i < POSE_POINTS; i++) {
      const [x, y] = project(pose[i * 3]!, pose[i * 3 + 1]!);
      const sd = i >= 23 ? 0.02 : i >= 13 ? 0.006 : 0.004;
      data[poseBase + i * 3] = x + rng.normal(0, sd);
      data[poseBase + i * 3 + 1] = y + rng.normal(0, sd);
      const legDepth = i >= 25 ? v.legDepth[(i - 25) % 2]! : 0;
      data[poseBase + i * 3 + 2] =
        poseDepth(pose, i, camera.scale, signer.poseDepthGain) + legDepth + rng.normal(0, 0.06);
    }
  }

  const rates = { drop: signer.tracking.handDrop, recover: signer.tracking.handRecover };
  // The tracker favours the hand that does the work; the other one is missed more often.
  const otherRates = { drop: Math.min(0.9, rates.drop * 1.6), recover: rates.recover * 0.6 };
  const found = {
    dominant: handPresence(rng, visible.dominant, speed.dominant, rates),
    other: handPresence(rng, visible.other, speed.other, otherRates),
  };
  const [leftFound, rightFound] =
    signer.dominant === 'left' ? [found.dominant, found.other] : [found.other, found.dominant];
  const faceMissing = faceDropout(rng, n, signer.tracking.faceDropout);
  for (let f = 0; f < n; f++) {
    const frame = f * VALUES_PER_FRAME;
    if (!leftFound[f]) data.fill(NaN, frame + LEFT * 3, frame + (LEFT + HAND_POINTS) * 3);
    if (!rightFound[f]) data.fill(NaN, frame + RIGHT * 3, frame + (RIGHT + HAND_POINTS) * 3);
    if (faceMissing[f]) data.fill(NaN, frame + FACE * 3, frame + (FACE + FACE_POINTS) * 3);
  }
  return { frameCount: n, firstFrame: timeline.firstFrame, data };
}
