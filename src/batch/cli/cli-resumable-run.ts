/** Exit status of a run stopped by a signal before it finished (the shell's 128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * For resumable commands: the first SIGINT or SIGTERM aborts the returned signal, so the run stops
 * where its finished work is kept (`stopping` says how, e.g. "stopping after the current batch"); a
 * second one quits at once.
 */
export function abortOnInterrupt(stopping: string): AbortSignal {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write(`\n${signal}: ${stopping} (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/**
 * Runs a resumable command's body and sets the exit code: 0 when complete, EXIT_INTERRUPTED when it
 * stopped early (its report says how to resume), 1 with `<name> failed: <reason>` on stderr when it threw.
 * `settle` runs first either way (a progress bar must stop before anything is printed); `report`, when
 * given, prints the summary (a command whose progress output already ends with one passes none).
 */
export async function reportResumableRun<Summary extends { readonly status: 'complete' | 'interrupted' }>(
  name: string,
  run: () => Promise<Summary>,
  settle: () => void,
  report?: (summary: Summary) => string,
): Promise<void> {
  try {
    const summary = await run();
    settle();
    if (report) process.stdout.write(`${report(summary)}\n`);
    process.exitCode = summary.status === 'complete' ? 0 : EXIT_INTERRUPTED;
  } catch (err) {
    settle();
    process.stderr.write(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
