/** An error raised while a graph is built, naming the node (or tensor) at fault. */
export class GraphError extends Error {
  override name = 'GraphError';
}
