/** File names inside an artifacts directory (`npm run artifacts -- --out <dir>`). */
export const ARTIFACT_FILES = {
  manifest: 'artifacts.json',
  training: 'training_model.onnx',
  eval: 'eval_model.onnx',
  optimizer: 'optimizer_model.onnx',
  inference: 'inference_model.onnx',
  /** The initial checkpoint lives in the artifacts directory itself (checkpoint.safetensors + .json). */
  checkpointDir: '.',
} as const;
