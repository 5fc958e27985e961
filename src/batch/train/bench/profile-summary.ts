/**
 * onnxruntime's profile (a Chrome trace: one event per node run, with its provider) read back as the
 * figures that tell where a training step goes: time per provider, the slowest operators, and every
 * node placed on the CPU that a GPU run should not have (with the bytes it reads), the copies between
 * host and device included.
 */
interface TraceEvent {
  readonly cat?: string;
  readonly name?: string;
  readonly ts?: number;
  readonly dur?: number;
  readonly args?: {
    readonly op_name?: string;
    readonly provider?: string;
    readonly input_type_shape?: readonly Record<string, readonly number[]>[];
  };
}

const BYTES: Readonly<Record<string, number>> = {
  float: 4,
  float16: 2,
  int64: 8,
  int32: 4,
  uint32: 4,
  uint16: 2,
  bool: 1,
  uint8: 1,
  int8: 1,
};

function inputBytes(e: TraceEvent): number {
  let total = 0;
  for (const input of e.args?.input_type_shape ?? []) {
    for (const [type, shape] of Object.entries(input)) {
      total += (BYTES[type] ?? 4) * shape.reduce((a, b) => a * b, 1);
    }
  }
  return total;
}

/**
 * A few lines of text, per run. The first run is left out: it is the warm-up, where a GPU provider
 * also compiles its shaders.
 */
export function summarizeProfile(json: string): string[] {
  const all = JSON.parse(json) as TraceEvent[];
  const runs = all
    .filter((e) => e.cat === 'Session' && e.name === 'model_run')
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const warmupEnd = runs.length > 1 ? (runs[0]!.ts ?? 0) + (runs[0]!.dur ?? 0) : -Infinity;
  const stepRuns = Math.max(1, runs.length - 1);
  const events = all.filter(
    (e) =>
      e.cat === 'Node' &&
      e.name?.endsWith('_kernel_time') &&
      e.args?.op_name !== undefined &&
      (e.ts ?? 0) > warmupEnd,
  );
  if (events.length === 0) return ['profile: no node events'];
  const byProvider = new Map<string, number>();
  const byOp = new Map<string, number>();
  const onCpu = new Map<string, { count: number; bytes: number; us: number }>();
  for (const e of events) {
    const provider = (e.args!.provider ?? '?').replace('ExecutionProvider', '');
    const us = e.dur ?? 0;
    byProvider.set(provider, (byProvider.get(provider) ?? 0) + us);
    const key = `${e.args!.op_name} (${provider})`;
    byOp.set(key, (byOp.get(key) ?? 0) + us);
    if (provider === 'CPU') {
      const name = `${e.args!.op_name} ${e.name!.replace(/_kernel_time$/, '')}`;
      const seen = onCpu.get(name) ?? { count: 0, bytes: 0, us: 0 };
      onCpu.set(name, { count: seen.count + 1, bytes: seen.bytes + inputBytes(e), us: seen.us + us });
    }
  }
  const ms = (us: number) => `${(us / 1000 / stepRuns).toFixed(2)} ms`;
  const lines = [
    `per run (${stepRuns} profiled after the warm-up): ${[...byProvider].map(([p, us]) => `${p} ${ms(us)}`).join(', ')}`,
    `slowest: ${[...byOp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([op, us]) => `${op} ${ms(us)}`)
      .join(', ')}`,
  ];
  // On the CPU provider alone every node is there: the list matters when a GPU provider runs the rest.
  if (byProvider.size === 1) return lines;
  const cpuNodes = [...onCpu].sort((a, b) => b[1].bytes - a[1].bytes);
  lines.push(
    `nodes on the CPU: ${cpuNodes.length === 0 ? 'none' : cpuNodes.map(([n, s]) => `${n} (${s.bytes / s.count} B in, ${ms(s.us)})`).join('; ')}`,
  );
  return lines;
}
