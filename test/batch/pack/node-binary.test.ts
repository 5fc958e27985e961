import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNodeBinary, devDependencyNode } from '../../../src/batch/pack/node-binary.ts';

const root = mkdtempSync(join(tmpdir(), 'signcast-node-binary-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The first bytes of an ELF executable: 64-bit, little-endian, the given OS ABI and machine. */
function elfHeader(osAbi: number, machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, osAbi]);
  header.writeUInt16LE(2, 16);
  header.writeUInt16LE(machine, 18);
  return header;
}

describe('checkNodeBinary', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    "accepts the node devDependency's linux-x64 Node 22 and reads its version",
    () => {
      const checked = checkNodeBinary(devDependencyNode(resolve('.')));
      expect(checked.version).toMatch(/^v2[2-9]\.|^v[3-9]\d\./);
    },
  );

  it('refuses an arm64 Linux binary, a FreeBSD one and a Mach-O file, saying to pass --node', () => {
    const cases = {
      arm64: [elfHeader(0, 183), /ELF for machine 183, not x86-64/],
      freebsd: [elfHeader(9, 62), /ELF for OS ABI 9, not Linux/],
      macho: [Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, ...new Array(56).fill(0)]), /not an ELF file/],
    } as const;
    for (const [name, [bytes, reason]] of Object.entries(cases)) {
      const path = join(root, name);
      writeFileSync(path, bytes);
      expect(() => checkNodeBinary(path)).toThrow(reason);
      expect(() => checkNodeBinary(path)).toThrow(
        /Pass --node <path> to the bin\/node of a linux-x64 Node 22 build/,
      );
    }
  });

  it('says when there is no binary at all', () => {
    expect(() => checkNodeBinary(join(root, 'no-such-node'))).toThrow(
      /no Node binary at .*no-such-node \(run npm ci, or pass --node\)/,
    );
  });
});
