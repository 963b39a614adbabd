// The Chromium the page tests drive (playwright-core launches it; no browser download). A test
// gets it itself: CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, installed with apt-get
// when it is missing and the tests run as root; otherwise one line naming the command to run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
export const INSTALL_COMMAND = "sudo apt-get install -y chromium";

export interface ChromiumHost {
  env: Record<string, string | undefined>;
  exists(path: string): boolean;
  isRoot: boolean;
  /** Installs Debian's chromium; throws if it cannot. */
  install(): void;
}

export class ChromiumMissingError extends Error {
  override name = "ChromiumMissingError";
}

const localHost: ChromiumHost = {
  env: process.env,
  exists: existsSync,
  isRoot: process.getuid?.() === 0,
  install() {
    // One install at a time: the page test files run in parallel. flock waits for the other.
    execFileSync(
      "flock",
      [
        "/tmp/nasvae-chromium-install.lock",
        "sh",
        "-c",
        `test -x ${DEBIAN_CHROMIUM} || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }`,
      ],
      { stdio: ["ignore", "ignore", "pipe"], timeout: 15 * 60_000 },
    );
  },
};

/** The path of a Chromium to launch, installing Debian's when it can; throws one clear line if not. */
export function findChromium(host: ChromiumHost = localHost): string {
  const configured = host.env.CHROMIUM_PATH;
  if (configured) {
    if (host.exists(configured)) return configured;
    throw new ChromiumMissingError(
      `CHROMIUM_PATH=${configured} does not exist: point it at a Chromium or Chrome binary, or unset it and run \`${INSTALL_COMMAND}\``,
    );
  }
  if (host.exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (!host.isRoot) {
    throw new ChromiumMissingError(
      `Chromium not found at ${DEBIAN_CHROMIUM}: run \`${INSTALL_COMMAND}\` (or set CHROMIUM_PATH to a Chromium or Chrome binary)`,
    );
  }
  try {
    host.install();
  } catch (error) {
    const why = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n").at(-1);
    throw new ChromiumMissingError(
      `Chromium not found at ${DEBIAN_CHROMIUM} and \`apt-get install chromium\` failed (${why || (error as Error).message}): run \`${INSTALL_COMMAND}\` (or set CHROMIUM_PATH)`,
    );
  }
  if (host.exists(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  throw new ChromiumMissingError(
    `apt-get installed chromium but ${DEBIAN_CHROMIUM} is still missing: run \`${INSTALL_COMMAND}\` (or set CHROMIUM_PATH)`,
  );
}
