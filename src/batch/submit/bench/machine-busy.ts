import { readFileSync } from 'node:fs';

/** /proc/stat counts in USER_HZ ticks, 100 per second on Linux. */
const MS_PER_TICK = 10;

/**
 * CPU time the whole machine has spent busy so far (all processes, all cores), in ms, or null where
 * /proc/stat does not exist. The difference over a run, minus the run's own CPU time, is what other
 * processes took: on a shared machine that explains a slow figure.
 */
export function machineBusyMs(): number | null {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal ...
  const v = (line ?? '').trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return null;
  const [user, nice, system, , , irq, softirq, steal] = v as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
}
