/**
 * Runs `f` over `items` with at most `limit` calls in flight, keeping the order of the results.
 * After a call fails no new call starts, and the failure is thrown only once the calls already
 * started have ended: left running, they would race whoever retries the whole (a job's next try
 * takes the same claims, and a message went twice that way).
 */
export async function mapLimit<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await f(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}
