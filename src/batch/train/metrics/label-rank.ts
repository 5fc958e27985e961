/**
 * Where the true label stands among one row of scores (logits or probabilities): how many classes score
 * strictly higher. The label is in the top k when its rank is below k, which is Keras' in_top_k and
 * top_k_categorical_accuracy rule, ties counting in the label's favour.
 */
export function labelRank(scores: Float32Array, offset: number, classes: number, label: number): number {
  const target = scores[offset + label]!;
  let above = 0;
  for (let c = 0; c < classes; c++) if (scores[offset + c]! > target) above++;
  return above;
}

/** The first class with the highest score (argmax, as Keras' accuracy takes it). */
export function argmax(scores: Float32Array, offset: number, classes: number): number {
  let best = 0;
  let bestScore = scores[offset]!;
  for (let c = 1; c < classes; c++) {
    const s = scores[offset + c]!;
    if (s > bestScore) {
      bestScore = s;
      best = c;
    }
  }
  return best;
}
