/** File names inside an artifacts directory (`npm run artifacts -- --out <dir>`). */
export const ARTIFACT_FILES = {
  manifest: 'artifacts.json',
  training: 'training_model.onnx',
  eval: 'eval_model.onnx',
  optimizer: 'optimizer_model.onnx',
  /** The whole step in one graph, noise fed as draws (what the trainer runs on the CPU). */
  trainStep: 'train_step_model.onnx',
  /** The same step drawing its noise in the graph from keys (what the trainer runs on a GPU). */
  trainStepDevice: 'train_step_device_model.onnx',
  inference: 'inference_model.onnx',
  /** The initial checkpoint lives in the artifacts directory itself (checkpoint.safetensors + .json). */
  checkpointDir: '.',
} as const;
