// How the page tests get a browser (test/support/chromium.ts), on a simulated machine: nothing
// is launched or installed here.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ChromiumHost,
  ChromiumMissingError,
  DEBIAN_CHROMIUM,
  findChromium,
  INSTALL_COMMAND,
} from "../support/chromium.ts";

describe("findChromium", () => {
  function host(overrides: Partial<ChromiumHost> & { present?: string[] }): {
    host: ChromiumHost;
    installs: number;
  } {
    const present = new Set(overrides.present ?? []);
    const state = {
      installs: 0,
      host: {
        env: {},
        isRoot: false,
        exists: (path: string) => present.has(path),
        install: () => {
          state.installs++;
          present.add(DEBIAN_CHROMIUM);
        },
        ...overrides,
      } as ChromiumHost,
    };
    return state;
  }

  test("CHROMIUM_PATH, then Debian's chromium, without installing anything", () => {
    const set = host({ env: { CHROMIUM_PATH: "/opt/chrome" }, present: ["/opt/chrome"] });
    assert.equal(findChromium(set.host), "/opt/chrome");
    const debian = host({ present: [DEBIAN_CHROMIUM], isRoot: true });
    assert.equal(findChromium(debian.host), DEBIAN_CHROMIUM);
    assert.equal(debian.installs, 0);
  });

  test("as root, a missing chromium is installed with apt-get", () => {
    const root = host({ isRoot: true });
    assert.equal(findChromium(root.host), DEBIAN_CHROMIUM);
    assert.equal(root.installs, 1);
  });

  test("otherwise one line naming the command to run", () => {
    const user = host({});
    assert.throws(
      () => findChromium(user.host),
      (error: Error) =>
        error instanceof ChromiumMissingError &&
        !error.message.includes("\n") &&
        error.message.includes(INSTALL_COMMAND),
    );
    assert.equal(user.installs, 0);
    const failing = host({
      isRoot: true,
      install: () => {
        throw new Error("E: Unable to locate package chromium");
      },
    });
    assert.throws(() => findChromium(failing.host), /Unable to locate package.*apt-get install/);
    const wrongPath = host({ env: { CHROMIUM_PATH: "/nowhere/chrome" }, isRoot: true });
    assert.throws(() => findChromium(wrongPath.host), /CHROMIUM_PATH=\/nowhere\/chrome/);
    assert.equal(wrongPath.installs, 0);
  });
});
