import * as ort from 'onnxruntime-node';
import { expectFloat32Tensors } from '../checkpoint/read-checkpoint.ts';
import type { LoadedCheckpoint } from '../checkpoint/read-checkpoint.ts';
import type { NamedTensor } from '../checkpoint/named-tensor.ts';
import { firstMomentName, secondMomentName } from '../optimizer/optimizer-names.ts';

export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * What training changes: parameters and AdamW's two moments, held as the ort.Tensors the sessions
 * consume and produce. An optimizer step hands back new tensors (onnxruntime-node copies every output
 * into a fresh buffer, preallocated fetches included, as measured), and `replace` takes them as they are
 * — nothing is copied in JS between steps.
 */
export class ModelState {
  private constructor(
    readonly parameters: readonly ParameterShape[],
    private readonly values: Map<string, ort.Tensor>,
  ) {}

  static fromCheckpoint(checkpoint: LoadedCheckpoint, parameters: readonly ParameterShape[]): ModelState {
    const source = checkpoint.dir;
    const params = expectFloat32Tensors(checkpoint.parameters, parameters, source);
    const ms = expectFloat32Tensors(
      checkpoint.optimizerState,
      parameters.map((p) => ({ name: firstMomentName(p.name), shape: p.shape })),
      source,
    );
    const vs = expectFloat32Tensors(
      checkpoint.optimizerState,
      parameters.map((p) => ({ name: secondMomentName(p.name), shape: p.shape })),
      source,
    );
    const values = new Map<string, ort.Tensor>();
    parameters.forEach((p, i) => {
      const dims = [...p.shape];
      values.set(p.name, new ort.Tensor('float32', params[i]!, dims));
      values.set(firstMomentName(p.name), new ort.Tensor('float32', ms[i]!, dims));
      values.set(secondMomentName(p.name), new ort.Tensor('float32', vs[i]!, dims));
    });
    return new ModelState(parameters, values);
  }

  /** A parameter or moment by its graph name (`<p>`, `adam_m.<p>`, `adam_v.<p>`). */
  get(name: string): ort.Tensor {
    const t = this.values.get(name);
    if (!t) throw new Error(`no state tensor ${name}`);
    return t;
  }

  /** Parameters by name, as the training and eval graphs take them. */
  parameterFeeds(into: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
    for (const p of this.parameters) into[p.name] = this.get(p.name);
    return into;
  }

  replace(name: string, tensor: ort.Tensor): void {
    if (!this.values.has(name)) throw new Error(`no state tensor ${name}`);
    this.values.set(name, tensor);
  }

  parameterData(name: string): Float32Array {
    return this.get(name).data as Float32Array;
  }

  /** The checkpoint's view of the state (no copies: the tensors' own data). */
  checkpointTensors(): { parameters: NamedTensor[]; optimizerState: NamedTensor[] } {
    const named = (name: string, shape: readonly number[]): NamedTensor => ({
      name,
      shape,
      data: this.parameterData(name),
    });
    return {
      parameters: this.parameters.map((p) => named(p.name, p.shape)),
      optimizerState: [
        ...this.parameters.map((p) => named(firstMomentName(p.name), p.shape)),
        ...this.parameters.map((p) => named(secondMomentName(p.name), p.shape)),
      ],
    };
  }
}
