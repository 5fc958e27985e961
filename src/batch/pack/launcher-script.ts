import type { ArchiveCommand } from './archive-layout.ts';

export interface LauncherInfo {
  /** e.g. `signcast 0.1.0 (534c000) linux-x64, onnxruntime-node 1.30.0`. */
  readonly versionLine: string;
  readonly commands: readonly ArchiveCommand[];
  readonly bundleDir: string;
}

/**
 * `./signcast`, the archive's entry: a POSIX sh script that runs lib/<command>.mjs on the archive's own
 * Node. It uses shell built-ins only (readlink, when present, follows a symlink to the archive), so it
 * runs on a bare box with no Node, npm or coreutils on the PATH.
 */
export function launcherScript(info: LauncherInfo): string {
  const width = Math.max(...info.commands.map((c) => c.name.length)) + 2;
  const help = [
    info.versionLine,
    '',
    'usage: ./signcast <command> [options]        (./signcast <command> --help for its options)',
    '',
    'commands:',
    ...info.commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'presets/ holds the training presets (--preset baseline|demo), models/demo the shipped bundle.',
  ];
  const names = info.commands.map((c) => c.name).join('|');
  return `#!/bin/sh
# ${info.versionLine}: the batch runner on the Node beside it; no npm needed.
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
case $self in
  */*) here=\${self%/*} ;;
  *) here=. ;;
esac

usage() {
${help.map((line) => `  printf '%s\\n' ${shellQuote(line)}`).join('\n')}
}

case \${1:-} in
  -h | --help | help)
    usage
    exit 0
    ;;
  -v | --version | version)
    printf '%s\\n' ${shellQuote(info.versionLine)}
    printf 'node %s\\n' "$("$here/node/bin/node" --version)"
    exit 0
    ;;
  ${names})
    command=$1
    shift
    exec "$here/node/bin/node" --enable-source-maps "$here/${info.bundleDir}/$command.mjs" "$@"
    ;;
  '')
    usage >&2
    exit 2
    ;;
  *)
    printf 'signcast: unknown command %s\\n\\n' "$1" >&2
    usage >&2
    exit 2
    ;;
esac
`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
