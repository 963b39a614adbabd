/** Exit codes besides 0: 1 the request could not be done (API refusal, unreachable service, failed campaign), 2 bad command line. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the user can act on; printed as `error: <message>` (plus any detail lines), exit 1. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number = EXIT_FAILURE;

  constructor(
    message: string,
    /** Further lines printed under the message, indented (e.g. each invalid field). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** A malformed command line: printed with a pointer to `--help`, exit 2. */
export class UsageError extends CliError {
  override name = "UsageError";
  override readonly exitCode = EXIT_USAGE;

  constructor(
    message: string,
    /** The command whose help to point at (`nasvae <command> --help`); none for the top level. */
    readonly command?: string,
  ) {
    super(message);
  }
}
