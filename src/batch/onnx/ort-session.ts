/** Running builder graphs with onnxruntime-node: sessions from graphs, tensors both ways. */
import * as ort from 'onnxruntime-node';
import type { DType } from './dtype.ts';
import type { Graph } from './graph.ts';
import type { TensorData } from './tensor-data.ts';
import { tensorData } from './tensor-data.ts';
import type { ToModelOptions } from './to-model.ts';
import { graphToBytes } from './to-model.ts';

export interface CreateSessionOptions extends ToModelOptions {
  readonly session?: ort.InferenceSession.SessionOptions;
}

/** Serialise `graph` and open an onnxruntime-node session on it. */
export async function createSession(
  graph: Graph,
  options: CreateSessionOptions = {},
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(graphToBytes(graph, options), options.session ?? {});
}

/** Our dtype names are ORT's, except that ORT's type set is narrower. */
export function toOrtTensor(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.dtype as ort.Tensor.Type, t.data as ort.Tensor.DataType, [...t.dims]);
}

export function fromOrtTensor(t: ort.Tensor): TensorData {
  return tensorData(t.type as DType, t.data as TensorData['data'], [...t.dims]);
}

/** Run a session on TensorData feeds and return every output as TensorData. */
export async function runSession(
  session: ort.InferenceSession,
  feeds: Readonly<Record<string, TensorData>>,
): Promise<Record<string, TensorData>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrtTensor(v);
  const results = await session.run(ortFeeds);
  const out: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(results)) out[k] = fromOrtTensor(v);
  return out;
}
