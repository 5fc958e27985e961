import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { checkExecutionProvider, checkFloat16 } from '../onnx/ort-session.ts';
import { findVulkanSetup } from './vulkan-setup.ts';
import type { VulkanSearch, VulkanSetup } from './vulkan-setup.ts';

export type CheckStatus = 'ok' | 'missing' | 'note';

export interface GpuCheck {
  readonly what: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about it, when it is not ok. */
  readonly fix?: string;
}

export interface GpuReport {
  readonly checks: readonly GpuCheck[];
  /** The decisive one: onnxruntime-node's WebGPU provider opened a session on an adapter. */
  readonly webgpuWorks: boolean;
}

/** The driver, the Vulkan pieces and, last, a real WebGPU session: `./signcast gpu-check`. */
export async function checkGpu(search: VulkanSearch = { env: process.env }): Promise<GpuReport> {
  const vulkan = findVulkanSetup(search);
  const checks = [nvidiaDriver(search.root), vulkanLoader(vulkan), vulkanDrivers(vulkan)];
  let adapter: GpuCheck;
  try {
    await checkExecutionProvider({ ep: 'webgpu', threads: 1 });
    adapter = {
      what: 'WebGPU adapter',
      status: 'ok',
      detail: `onnxruntime-node opened a session on it: ${gpuAdapterName(search)}`,
    };
  } catch (err) {
    adapter = {
      what: 'WebGPU adapter',
      status: 'missing',
      detail: (err as Error).message.split('\n')[0]!,
      fix: 'train with --ep cpu, or fix what is missing above',
    };
  }
  const extra: GpuCheck[] = [];
  if (adapter.status === 'ok') {
    try {
      await checkFloat16({ ep: 'webgpu', threads: 1 });
      extra.push({
        what: 'float16 (mixed precision)',
        status: 'ok',
        detail: 'the adapter runs float16 kernels',
      });
    } catch (err) {
      extra.push({
        what: 'float16 (mixed precision)',
        status: 'note',
        detail: (err as Error).message.split(': mixed precision')[0]!,
        fix: 'train.precision fp16 cannot run on this GPU; fp32 (the presets) can',
      });
    }
  }
  return { checks: [...checks, adapter, ...extra], webgpuWorks: adapter.status === 'ok' };
}

function nvidiaDriver(root = '/'): GpuCheck {
  const path = `${root.replace(/\/$/, '')}/proc/driver/nvidia/version`;
  if (!existsSync(path)) {
    return {
      what: 'NVIDIA driver',
      status: 'note',
      detail: 'no NVIDIA kernel driver loaded (/proc/driver/nvidia/version)',
      fix: 'on an NVIDIA box: install the driver (nvidia-smi should list the GPU); other GPUs need their Vulkan driver',
    };
  }
  return { what: 'NVIDIA driver', status: 'ok', detail: readFileSync(path, 'utf8').split('\n')[0]!.trim() };
}

function vulkanLoader(v: VulkanSetup): GpuCheck {
  return v.loader
    ? { what: 'Vulkan loader', status: 'ok', detail: v.loader }
    : {
        what: 'Vulkan loader',
        status: 'missing',
        detail: 'no libvulkan.so.1 on the library path',
        fix: 'install the Vulkan loader: apt-get install libvulkan1 (dnf install vulkan-loader)',
      };
}

function vulkanDrivers(v: VulkanSetup): GpuCheck {
  const source = v.icdSource ? ` (from ${v.icdSource})` : '';
  const hint =
    v.unsearchedNvidiaIcds.length > 0
      ? `the NVIDIA driver's manifest is at ${v.unsearchedNvidiaIcds[0]}, where the loader does not look: export VK_DRIVER_FILES=${v.unsearchedNvidiaIcds[0]}`
      : undefined;
  if (v.icds.length === 0) {
    return {
      what: 'Vulkan drivers',
      status: 'missing',
      detail: `no ICD manifest found${source}`,
      fix:
        hint ??
        "install the GPU driver's Vulkan part (NVIDIA: the driver ships nvidia_icd.json; in containers set NVIDIA_DRIVER_CAPABILITIES=all)",
    };
  }
  const listed = v.icds.map((i) => `${i.file}${i.library ? ` -> ${i.library}` : ''}`).join(', ');
  if (!v.icds.some((i) => i.nvidia)) {
    return {
      what: 'Vulkan drivers',
      status: 'note',
      detail: `no NVIDIA ICD${source}: ${listed}`,
      ...(hint ? { fix: hint } : {}),
    };
  }
  return { what: 'Vulkan drivers', status: 'ok', detail: `${listed}${source}` };
}

export function formatGpuReport(report: GpuReport): string {
  const width = Math.max(...report.checks.map((c) => c.what.length)) + 2;
  const lines = report.checks.map((c) => `${c.what.padEnd(width)}${c.status.padEnd(9)}${c.detail}`);
  const fixes = report.checks.filter((c) => c.status !== 'ok' && c.fix).map((c) => `  ${c.what}: ${c.fix}`);
  const verdict = report.webgpuWorks
    ? 'this machine can train with --ep webgpu'
    : 'this machine cannot train with --ep webgpu';
  return [
    ...lines,
    '',
    verdict,
    ...(fixes.length > 0 && !report.webgpuWorks ? ['', 'to fix:', ...fixes] : []),
  ].join('\n');
}

/**
 * Which GPU a WebGPU session runs on, as far as this machine says: onnxruntime-node does not report
 * the adapter Dawn picked, so this names what is there to pick. The NVIDIA driver's own description
 * (/proc/driver/nvidia/gpus/<bus>/information, "Model: NVIDIA H200"), else the Vulkan drivers the
 * loader will offer (e.g. SwiftShader, a CPU driver: a run there is correct but slow).
 */
export function gpuAdapterName(search: VulkanSearch = { env: process.env }): string {
  const root = (search.root ?? '/').replace(/\/$/, '');
  const gpus = `${root}/proc/driver/nvidia/gpus`;
  const models = existsSync(gpus)
    ? readdirSync(gpus).flatMap((bus) => {
        const info = `${gpus}/${bus}/information`;
        const model = existsSync(info)
          ? /^Model:\s*(.+)$/m.exec(readFileSync(info, 'utf8'))?.[1]?.trim()
          : undefined;
        return model ? [`${model} (${bus})`] : [];
      })
    : [];
  if (models.length > 0) return models.join(', ');
  const icds = findVulkanSetup(search).icds;
  if (icds.length === 0) return 'no Vulkan driver found';
  return icds
    .map((i) => {
      const library = i.library ?? i.file;
      return /swiftshader/i.test(library)
        ? 'SwiftShader (a CPU Vulkan driver: correct, not fast)'
        : /lvp|llvmpipe/i.test(library)
          ? 'llvmpipe (a CPU Vulkan driver)'
          : `the Vulkan driver ${library}`;
    })
    .join(', ');
}
