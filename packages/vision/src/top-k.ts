export interface LabelScore {
  label: string;
  /** The class's WordNet id, for models whose classes are WordNet synsets (ImageNet). */
  wnid?: string;
  score: number;
}

/**
 * The k highest-scoring classes of one row of a [batch, classes] probability matrix,
 * best first. Ties keep output order, so results are stable from run to run.
 */
export function topK(
  scores: ArrayLike<number>,
  row: number,
  labels: readonly string[],
  k: number,
  wnids?: readonly string[],
): LabelScore[] {
  const classes = labels.length;
  const start = row * classes;
  const indices = Array.from({ length: classes }, (_, i) => i);
  indices.sort((a, b) => scores[start + b]! - scores[start + a]! || a - b);
  return indices
    .slice(0, Math.min(k, classes))
    .map((i) => (wnids ? { label: labels[i]!, wnid: wnids[i]!, score: scores[start + i]! } : { label: labels[i]!, score: scores[start + i]! }));
}
