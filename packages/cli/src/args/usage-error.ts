/** The command line is unusable; the CLI prints the message and the hint and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** What to do next. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
