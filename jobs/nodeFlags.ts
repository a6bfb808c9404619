/**
 * V8 settings for the worker process. An import makes short-lived garbage for every row (cells,
 * parsed records, documents); with V8's defaults on a machine with much memory the heap grows to
 * hundreds of MiB before it collects, although what an import keeps is small. A small young
 * generation and a bounded old one keep the worker's resident set near what it really uses, for
 * a little more time spent collecting. The old-space bound leaves room for the largest state an
 * import loads (an institution's records) many times over. package.json's `worker` script repeats
 * these flags, since a script line cannot import them.
 */
export const workerNodeFlags = ['--max-semi-space-size=8', '--max-old-space-size=384'];

/** The command line that starts the worker entry with its settings. */
export function workerArgs(entryPath: string): string[] {
  return [...workerNodeFlags, entryPath];
}
