/** Every value of an async iterable, in order (Array.fromAsync arrives with Node 22). */
export async function collect<T>(values: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of values) out.push(v);
  return out;
}
