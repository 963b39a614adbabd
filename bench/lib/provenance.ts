// What a benchmark report says about where it ran: the command to repeat it and the commit.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** An argument as a POSIX shell would need it quoted to repeat the command. */
export const shellQuote = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;

/** The short commit, with "+ uncommitted changes" when the tree differs from it. */
export function gitDescription(): string {
  try {
    const git = (...gitArgs: string[]) =>
      execFileSync("git", gitArgs, {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    const head = git("rev-parse", "--short", "HEAD");
    return git("status", "--porcelain").length > 0 ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}
