import { existsSync } from 'node:fs';

/** Names a Vulkan driver manifest (ICD json) for the WebGPU tests; default: Chromium's SwiftShader. */
export const WEBGPU_ICD_ENV = 'SIGNCAST_WEBGPU_ICD';
/** Set to `required` (as .ci/run does) to make a missing adapter fail the WebGPU tests, not skip them. */
export const WEBGPU_TESTS_ENV = 'SIGNCAST_WEBGPU_TESTS';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const VULKAN_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
];

/**
 * A WebGPU adapter for tests on a machine without a GPU. onnxruntime-node's WebGPU provider reaches
 * the GPU through Vulkan; SwiftShader is a Vulkan driver that runs on the CPU (Debian's chromium-common
 * ships it, and .ci/run installs chromium for the page's tests anyway). Slow, but it runs the
 * provider's own code: its kernels, where it places each node, and outputs kept in GPU buffers. The
 * Vulkan loader reads VK_DRIVER_FILES when onnxruntime creates its WebGPU context, so this sets it
 * before any session opens (unless the environment already chose a driver).
 */
export function softwareWebGpu(): { readonly available: boolean; readonly description: string } {
  const icd = process.env[WEBGPU_ICD_ENV] || SWIFTSHADER;
  const loader = VULKAN_LOADERS.find((path) => existsSync(path));
  const available = existsSync(icd) && loader !== undefined;
  if (!available && process.env[WEBGPU_TESTS_ENV] === 'required') {
    throw new Error(
      `${WEBGPU_TESTS_ENV}=required but no software WebGPU adapter: ${existsSync(icd) ? '' : `no Vulkan driver at ${icd} (apt-get install chromium, or set ${WEBGPU_ICD_ENV})`}${loader ? '' : ' no libvulkan.so.1 (apt-get install libvulkan1)'}`,
    );
  }
  if (available) process.env['VK_DRIVER_FILES'] ??= icd;
  return {
    available,
    description: available ? `Vulkan driver ${process.env['VK_DRIVER_FILES']}` : 'no adapter',
  };
}
