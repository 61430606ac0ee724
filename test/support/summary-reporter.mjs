/**
 * Prints one plain closing line, `tests: N passed, N failed[, N skipped]`, after Jest's own summary,
 * so CI can read how many tests ran.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.stdout.write(`\n${line}${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}
