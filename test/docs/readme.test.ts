// The README stays a short tour (at most 10 KiB), and no relative link of the README, docs/,
// CONTRIBUTING.md or bench/ points at a file or heading that does not exist.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { test } from "node:test";

const root = new URL("../..", import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The pages whose links are checked, relative to the repository root. */
function pages(): string[] {
  const inDir = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => name.endsWith(".md"))
          .map((name) => join(dir, name))
      : [];
  return [
    "README.md",
    "CONTRIBUTING.md",
    ...inDir("docs"),
    ...inDir("bench"),
    ...inDir("bench/history"),
  ];
}

/** The page's text outside fenced code blocks and inline code. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a markdown file's headings, with GitHub's -1, -2 ... for repeats. */
function anchors(path: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const text = read(path).replace(/^```[\s\S]*?^```/gm, "");
  for (const match of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(match[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Relative link targets of a page: `[text](target)`, external and mail links left out. */
function links(path: string): string[] {
  return [...prose(read(path)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

test("README.md is at most 10 KiB", () => {
  const size = statSync(join(root, "README.md")).size;
  assert.ok(size <= 10_240, `README.md is ${size} bytes; move reference material to docs/`);
});

test("the README starts with the two commands: install and run the demo, run every test", () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(read("README.md"))?.[1] ?? "";
  assert.match(firstBlock, /^npm install && npm run demo\b/m);
  assert.match(firstBlock, /^npm test\b/m);
});

test("every relative link of the README, docs/, CONTRIBUTING.md and bench/ resolves", () => {
  const broken: string[] = [];
  for (const page of pages()) {
    for (const target of links(page)) {
      const [file = "", anchor] = target.split("#");
      const resolved = file === "" ? page : relative(root, join(root, dirname(page), file));
      if (!existsSync(join(root, resolved))) {
        broken.push(`${page}: ${target} (no file ${resolved})`);
        continue;
      }
      if (anchor && resolved.endsWith(".md") && !anchors(resolved).has(anchor)) {
        broken.push(`${page}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test("docs/README.md lists every page of docs/", () => {
  const index = read("docs/README.md");
  const listed = new Set(links("docs/README.md").map((target) => target.split("#")[0]));
  for (const page of readdirSync(join(root, "docs"))) {
    if (!page.endsWith(".md") || page === "README.md") continue;
    assert.ok(listed.has(page), `docs/README.md links ${page}`);
  }
  assert.ok(index.length > 0);
});
