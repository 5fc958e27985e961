/** float16 constants: the builder's conversion must round as onnxruntime's own Cast does. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../../src/batch/onnx/graph.ts';
import * as op from '../../../src/batch/onnx/ops/index.ts';
import { createSession, runSession } from '../../../src/batch/onnx/ort-session.ts';
import { float16Bits, float16Value, tensorData } from '../../../src/batch/onnx/tensor-data.ts';
import { Random } from '../../../src/batch/random/random.ts';

/** Values at every kind of edge: ties, subnormals, the largest half, overflow, signs, NaN. */
function edgeValues(): number[] {
  const values = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e6, -1e6, Infinity, -Infinity, NaN];
  values.push(2 ** -14, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 3 * 2 ** -26, 2 ** -26, 1e-10);
  for (let k = 0; k < 16; k++) values.push(1 + (k + 0.5) / 1024, 2048 + k + 0.5, 2 ** -20 * (k + 0.5));
  const random = Random.seeded(3, 'float16');
  for (let i = 0; i < 4000; i++) {
    const magnitude = 2 ** (Math.floor(random.nextFloat() * 44) - 28);
    values.push((random.nextFloat() * 2 - 1) * magnitude);
  }
  return values;
}

describe('float16 constants', () => {
  it('converts numbers to the bits onnxruntime Cast gives, and back', async () => {
    const values = edgeValues();
    const g = new Graph({ name: 'cast16' });
    g.output(op.cast(g.input('x', 'float32', [values.length]), 'float16'), 'y');
    const session = await createSession(g);
    const { y } = await runSession(session, { x: tensorData('float32', values) });
    const ours = values.map(float16Bits);
    expect(Array.from(y!.data as Uint16Array)).toEqual(ours);
    for (const [i, bits] of ours.entries()) {
      const back = float16Value(bits);
      if (Number.isNaN(values[i]!)) expect(back).toBeNaN();
      else expect(float16Bits(back)).toBe(bits);
    }
    expect(float16Value(float16Bits(65504))).toBe(65504);
    expect(float16Value(float16Bits(2 ** -24))).toBe(2 ** -24);
  });

  it('lifts JS numbers into float16 graph constants', async () => {
    const g = new Graph({ name: 'add16' });
    const x = g.input('x', 'float16', [3]);
    g.output(op.add(op.mul(x, 0.5), 1.25), 'y');
    const session = await createSession(g);
    const { y } = await runSession(session, { x: tensorData('float16', [2, -3, 1000]) });
    expect(Array.from(y!.data as Uint16Array, float16Value)).toEqual([2.25, -0.25, 501.25]);
  });
});
