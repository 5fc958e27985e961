import { dtypeFromOnnx } from '../../onnx/dtype.ts';
import { decodeModel } from '../../onnx/proto/codec.ts';
import type { ValueInfoProto } from '../../onnx/proto/types.ts';
import type { TensorSpec } from '../../../shared/bundle/manifest.ts';

function spec(v: ValueInfoProto): TensorSpec {
  const t = v.type?.tensorType;
  const dtype = dtypeFromOnnx(t?.elemType ?? 0);
  if (dtype !== 'float32' && dtype !== 'int64')
    throw new Error(`${v.name ?? '?'}: a bundle carries float32 or int64 tensors, not ${dtype}`);
  const shape = (t?.shape?.dim ?? []).map((d, i) => {
    if (d.dimValue !== undefined) return Number(d.dimValue);
    if (d.dimParam !== undefined && d.dimParam !== '') return d.dimParam;
    return `dim${i}`;
  });
  return { name: v.name ?? '', shape, dtype };
}

/** The manifest's input and output specs, read from the model itself so they cannot drift from it. */
export function tensorSpecs(model: Uint8Array): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  const graph = decodeModel(model).graph;
  if (graph === undefined) throw new Error('the model has no graph');
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name)).map(spec),
    outputs: (graph.output ?? []).map(spec),
  };
}
