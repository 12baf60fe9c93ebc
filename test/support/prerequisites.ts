/** Tests that need something of the machine (root, a tool, a device). Outside CI they skip, saying what
 * is missing; under CI=true a missing prerequisite fails the run, so a CI without it cannot be green. */

const inCi = (): boolean => process.env.CI === 'true';

/**
 * `describe(title, body)` when `unavailable` is undefined. Otherwise, `unavailable` says what is
 * missing: under CI=true the block is one failing test naming it; elsewhere it is skipped with a warning.
 */
export function describeWithPrerequisites(title: string, unavailable: string | undefined, body: () => void): void {
  if (unavailable === undefined) {
    describe(title, body);
    return;
  }
  if (inCi()) {
    describe(title, () => {
      it('has its prerequisites (CI=true: a missing one fails the run)', () => {
        throw new Error(`${title}: ${unavailable}`);
      });
    });
    return;
  }
  console.warn(`${title}: skipped, ${unavailable}`);
  describe.skip(`${title} (skipped: ${unavailable})`, body);
}
