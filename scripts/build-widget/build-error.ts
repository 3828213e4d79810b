/** A build stopped for reasons a person can fix; main prints the problems without a stack trace. */
export class BuildError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'BuildError';
  }
}
