// Runs the real executable, `node bin/nasvae.mjs`, as a user would.
import { spawn } from "node:child_process";

const root = new URL("../../../", import.meta.url).pathname;
export const bin = `${root}bin/nasvae.mjs`;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `nasvae ...args` in a subprocess with `env` over a copy of this process's environment stripped
 * of the CLI's own variables. Asynchronous: the API under test runs in this process.
 */
/** `onStdout` sees the output so far each time more arrives (to act while the command runs). */
export function nasvae(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
  onStdout?: (stdout: string) => void,
) {
  const base = { ...process.env };
  for (const key of ["NASVAE_URL", "NASVAE_API_KEY", "DATABASE_URL"]) delete base[key];
  return new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...base, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout += chunk;
      onStdout?.(stdout);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}
