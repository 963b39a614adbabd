// The `nasvae` executable (bin/nasvae.mjs loads this through tsx).
import { runCli } from "./cli.ts";

// Ctrl-C during `watch`: leave the terminal on a fresh line; 130 is the shell's code for SIGINT.
process.once("SIGINT", () => {
  if (process.stdout.isTTY) process.stdout.write("\n");
  process.exit(130);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
