/**
 * The `k` most probable classes of one row of a [batch, classes] probability matrix, most probable
 * first; ties keep the lower index first (the order of a stable descending sort). An insertion into a
 * short sorted list: k is small and this runs once per clip over ~250 classes.
 */
export function topClasses(
  probabilities: Float32Array,
  row: number,
  classes: number,
  k: number,
): { top: number[]; probs: number[] } {
  const keep = Math.max(0, Math.min(k, classes));
  const top = new Array<number>(keep).fill(0);
  const probs = new Array<number>(keep).fill(0);
  const base = row * classes;
  let n = 0;
  for (let c = 0; c < classes; c++) {
    const p = probabilities[base + c]!;
    if (n === keep) {
      if (!(p > probs[n - 1]!)) continue;
      n--;
    }
    let i = n;
    while (i > 0 && probs[i - 1]! < p) {
      top[i] = top[i - 1]!;
      probs[i] = probs[i - 1]!;
      i--;
    }
    top[i] = c;
    probs[i] = p;
    n++;
  }
  return { top, probs };
}
