import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gpuAdapterName } from '../../../src/batch/gpu-check/check-gpu.ts';
import { findVulkanSetup } from '../../../src/batch/gpu-check/vulkan-setup.ts';

const base = mkdtempSync(join(tmpdir(), 'signcast-vulkan-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A machine's file system in miniature: absolute paths below a fresh root. */
function machine(name: string, files: Record<string, string>): string {
  const root = join(base, name);
  mkdirSync(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const icd = (library: string) =>
  JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: library } });
const NVIDIA_CONTAINER_ICD = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';

describe('findVulkanSetup', () => {
  it('finds neither the loader nor a driver on a bare machine', () => {
    const root = machine('bare', { '/etc/hostname': 'box' });
    expect(findVulkanSetup({ env: {}, root })).toEqual({
      loader: null,
      icds: [],
      icdSource: null,
      unsearchedNvidiaIcds: [],
    });
  });

  it("finds Debian's libvulkan1 and the NVIDIA driver's manifest in the standard folders", () => {
    const root = machine('debian', {
      '/usr/lib/x86_64-linux-gnu/libvulkan.so.1': '',
      '/usr/share/vulkan/icd.d/nvidia_icd.json': icd('libGLX_nvidia.so.0'),
      '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json': icd('/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so'),
    });
    const setup = findVulkanSetup({ env: { HOME: '/root' }, root });
    expect(setup.loader).toBe('/usr/lib/x86_64-linux-gnu/libvulkan.so.1');
    expect(setup.icds).toEqual([
      {
        file: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json',
        library: '/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so',
        nvidia: false,
      },
      { file: '/usr/share/vulkan/icd.d/nvidia_icd.json', library: 'libGLX_nvidia.so.0', nvidia: true },
    ]);
    expect(setup.icdSource).toBeNull();
  });

  it('points at the container-mounted NVIDIA manifest the loader does not search, until VK_DRIVER_FILES names it', () => {
    const root = machine('container', {
      '/opt/vulkan/lib/libvulkan.so.1': '',
      '/etc/ld.so.conf.d/vulkan.conf': '# the loader lives here\n/opt/vulkan/lib\n',
      [NVIDIA_CONTAINER_ICD]: icd('libGLX_nvidia.so.0'),
    });
    const before = findVulkanSetup({ env: {}, root });
    expect(before.loader).toBe('/opt/vulkan/lib/libvulkan.so.1');
    expect(before.icds).toEqual([]);
    expect(before.unsearchedNvidiaIcds).toEqual([NVIDIA_CONTAINER_ICD]);

    const after = findVulkanSetup({ env: { VK_DRIVER_FILES: NVIDIA_CONTAINER_ICD }, root });
    expect(after.icds.map((i) => [i.file, i.nvidia])).toEqual([[NVIDIA_CONTAINER_ICD, true]]);
    expect(after.icdSource).toBe('VK_DRIVER_FILES');
    expect(after.unsearchedNvidiaIcds).toEqual([]);
  });

  it('looks in LD_LIBRARY_PATH first and reads a folder named in VK_ICD_FILENAMES', () => {
    const root = machine('env', {
      '/custom/lib/libvulkan.so.1': '',
      '/usr/lib/x86_64-linux-gnu/libvulkan.so.1': '',
      '/custom/icd/a.json': icd('liba.so'),
      '/custom/icd/b.json': '{ not json',
    });
    const setup = findVulkanSetup({
      env: { LD_LIBRARY_PATH: '/custom/lib', VK_ICD_FILENAMES: '/custom/icd' },
      root,
    });
    expect(setup.loader).toBe('/custom/lib/libvulkan.so.1');
    expect(setup.icds).toEqual([
      { file: '/custom/icd/a.json', library: 'liba.so', nvidia: false },
      { file: '/custom/icd/b.json', library: null, nvidia: false },
    ]);
    expect(setup.icdSource).toBe('VK_ICD_FILENAMES');
  });
});

describe('gpuAdapterName', () => {
  it('names the GPUs the NVIDIA driver describes, else the Vulkan drivers there are', () => {
    const nvidia = machine('h200', {
      '/proc/driver/nvidia/gpus/0000:19:00.0/information': 'Model: \t\t NVIDIA H200\nIRQ: 138\n',
      '/usr/share/vulkan/icd.d/nvidia_icd.json': icd('libGLX_nvidia.so.0'),
    });
    expect(gpuAdapterName({ env: {}, root: nvidia })).toBe('NVIDIA H200 (0000:19:00.0)');
    const software = machine('software', {
      '/usr/lib/chromium/vk_swiftshader_icd.json': icd('./libvk_swiftshader.so'),
    });
    expect(
      gpuAdapterName({
        env: { VK_DRIVER_FILES: '/usr/lib/chromium/vk_swiftshader_icd.json' },
        root: software,
      }),
    ).toMatch(/^SwiftShader/);
    expect(gpuAdapterName({ env: {}, root: machine('none', { '/etc/hostname': 'box' }) })).toBe(
      'no Vulkan driver found',
    );
  });
});
