import type { SignCastConfig } from '../../model/config/config-schema.ts';
import { serializeConfig } from '../../model/config/serialize-config.ts';
import type { ToModelOptions } from '../../onnx/to-model.ts';

/** What every artifact records about itself, visible in Netron and to onnxruntime's metadata API. */
export function modelMetadata(
  config: SignCastConfig,
  role: string,
  docString: string,
): Pick<ToModelOptions, 'producerName' | 'docString' | 'metadata'> {
  return {
    producerName: 'signcast',
    docString,
    metadata: { role, config: serializeConfig(config) },
  };
}
