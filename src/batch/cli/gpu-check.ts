/**
 * ./signcast gpu-check   (npm run gpu-check in the checkout)
 *
 * Says whether this machine can train with --ep webgpu and, if not, which piece is missing: the NVIDIA
 * driver, the Vulkan loader (libvulkan1), a Vulkan driver manifest (ICD), or a WebGPU adapter.
 * Exits 0 when a WebGPU session opens, 1 otherwise.
 */
import { Command } from 'commander';
import { checkGpu, formatGpuReport } from '../gpu-check/check-gpu.ts';

async function main(argv: readonly string[]): Promise<void> {
  new Command()
    .name('gpu-check')
    .description(
      'Check that this machine can train with --ep webgpu (NVIDIA driver, Vulkan, WebGPU adapter).',
    )
    .parse(argv, { from: 'node' });
  const report = await checkGpu();
  process.stdout.write(`${formatGpuReport(report)}\n`);
  process.exitCode = report.webgpuWorks ? 0 : 1;
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`gpu-check: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
