// The repository's static import graph, and the layering rules of ARCHITECTURE.md checked on it
// (test/layering/layering.test.ts runs them on the repository, rules.test.ts on small fixtures).
//
// Nodes are repository files ("apps/api/src/app.ts"), npm packages ("npm:@tensorflow/tfjs", one
// node per package whatever the subpath) and Node's built-ins ("node:fs"). `@nasvae/*` specifiers
// resolve through the workspace package's package.json `exports` to its source file, as tsx and
// TypeScript resolve them. Every import counts as an edge, including `import type` (the package
// still depends on the other) and `import("...")` with a literal specifier (a lazy import still
// loads the module in that process).
import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix } from "node:path";
import ts from "typescript";

export type EdgeKind = "static" | "type" | "dynamic";

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
  kind: EdgeKind;
  /** 1-based line of the import in `from`. */
  line: number;
}

export interface WorkspacePackage {
  name: string;
  /** Its directory, relative to the root: "packages/db". */
  dir: string;
  /** `exports` subpath ("." or "./testing") → file relative to the root. */
  exports: Record<string, string>;
  /** Declared dependencies and devDependencies by name. */
  dependencies: string[];
  devDependencies: string[];
}

export interface ImportGraph {
  /** Source text of every scanned file, by path relative to the root. */
  files: Map<string, string>;
  /** Outgoing edges of every scanned file, in source order. */
  edges: Map<string, ImportEdge[]>;
  packages: WorkspacePackage[];
  /** Imports that resolve to nothing (a relative path or `@nasvae/*` subpath that is not there). */
  unresolved: ImportEdge[];
}

const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".mjs", ".js", ".cjs"];
/** Directories scanned for source files, relative to the root. */
const SCANNED = ["apps", "packages", "bench", "scripts", "test", "bin"];
const SKIPPED_DIRS = new Set(["node_modules", "dist", "coverage", "results", "generated-client"]);
const BUILTINS = new Set(builtinModules);

/** Every import of one file: static (value or type), re-exports and literal `import()` calls. */
export function importsOf(file: string, text: string): Omit<ImportEdge, "to">[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: Omit<ImportEdge, "to">[] = [];
  const add = (literal: ts.Expression | undefined, kind: EdgeKind, at: ts.Node) => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1;
    found.push({ from: file, specifier: literal.text, kind, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly ? "type" : "static", node);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly ? "type" : "static", node);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        add(node.moduleReference.expression, node.isTypeOnly ? "type" : "static", node);
      }
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, "type", node);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        add(node.arguments[0], "dynamic", node);
      } else if (ts.isIdentifier(node.expression) && node.expression.text === "require") {
        add(node.arguments[0], "static", node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The npm package a bare specifier names: "@scope/name" or "name". */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** Where `specifier`, imported by `from`, leads; null when it names a missing file. */
export function resolveImport(
  from: string,
  specifier: string,
  files: ReadonlySet<string>,
  packages: readonly WorkspacePackage[],
): string | null {
  if (specifier.startsWith("node:")) return specifier;
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    const target = posix.normalize(posix.join(posix.dirname(from), specifier));
    const candidates = [target];
    if (/\.[cm]?js$/.test(target)) candidates.push(target.replace(/js$/, "ts"));
    for (const extension of SOURCE_EXTENSIONS) candidates.push(`${target}${extension}`);
    for (const extension of SOURCE_EXTENSIONS) candidates.push(`${target}/index${extension}`);
    return candidates.find((candidate) => files.has(candidate)) ?? null;
  }
  const name = packageNameOf(specifier);
  const workspace = packages.find((pkg) => pkg.name === name);
  if (workspace) {
    const subpath = `.${specifier.slice(name.length)}`;
    const target = workspace.exports[subpath];
    return target !== undefined && files.has(target) ? target : null;
  }
  if (BUILTINS.has(specifier) || BUILTINS.has(name)) return `node:${specifier}`;
  return `npm:${name}`;
}

/** Builds the graph of `files` (path → source text). */
export function buildImportGraph(
  files: Map<string, string>,
  packages: readonly WorkspacePackage[],
): ImportGraph {
  const names = new Set(files.keys());
  const edges = new Map<string, ImportEdge[]>();
  const unresolved: ImportEdge[] = [];
  for (const [file, text] of files) {
    const out: ImportEdge[] = [];
    for (const found of importsOf(file, text)) {
      const to = resolveImport(file, found.specifier, names, packages);
      if (to === null) unresolved.push({ ...found, to: `missing:${found.specifier}` });
      else out.push({ ...found, to });
    }
    edges.set(file, out);
  }
  return { files, edges, packages: [...packages], unresolved };
}

/** The workspace packages (apps/* and packages/*) with their exports resolved to files. */
export function readWorkspacePackages(root: string): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ["apps", "packages"]) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      let manifest: {
        name: string;
        main?: string;
        exports?: string | Record<string, string | Record<string, string>>;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      try {
        manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      const exports: Record<string, string> = {};
      const raw = manifest.exports ?? manifest.main;
      const entries = typeof raw === "string" ? { ".": raw } : (raw ?? {});
      for (const [subpath, target] of Object.entries(entries)) {
        const file = typeof target === "string" ? target : (target.import ?? target.default);
        if (file) exports[subpath] = posix.normalize(posix.join(dir, file));
      }
      found.push({
        name: manifest.name,
        dir,
        exports,
        dependencies: Object.keys(manifest.dependencies ?? {}),
        devDependencies: Object.keys(manifest.devDependencies ?? {}),
      });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every source file under the scanned directories, with its text. */
export function readSourceFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) {
        if (entry.name.endsWith(".d.ts")) continue;
        files.set(path, readFileSync(join(root, path), "utf8"));
      }
    }
  };
  for (const dir of SCANNED) walk(dir);
  return files;
}

/** The repository's graph. */
export function repositoryGraph(root: string): ImportGraph {
  return buildImportGraph(readSourceFiles(root), readWorkspacePackages(root));
}

/** The workspace package a file belongs to (by directory), or its top directory ("bench"). */
export function ownerOf(file: string, packages: readonly WorkspacePackage[]): string {
  const pkg = packages.find((candidate) => file.startsWith(`${candidate.dir}/`));
  return pkg ? pkg.name : (file.split("/")[0] as string);
}

// ---- paths and their messages ------------------------------------------------------------

/** A chain of imports from a start file to a node. */
export type ImportPath = ImportEdge[];

/** "a.ts:3 → b.ts:7 (import()) → npm:x": each file with the line of the import it makes. */
export function describePath(path: ImportPath): string {
  if (path.length === 0) return "(empty path)";
  const steps = path.map((edge) => {
    const how =
      edge.kind === "static" ? "" : edge.kind === "type" ? " (import type)" : " (import())";
    return `${edge.from}:${edge.line}${how}`;
  });
  return [...steps, (path.at(-1) as ImportEdge).to].join("\n    → ");
}

/**
 * The shortest import path from any of `starts` to a node `isTarget` accepts, following only
 * edges `follow` accepts (all by default); null if none. Breadth-first, so the path is short.
 */
export function findPath(
  graph: ImportGraph,
  starts: readonly string[],
  isTarget: (node: string) => boolean,
  follow: (edge: ImportEdge) => boolean = () => true,
): ImportPath | null {
  const via = new Map<string, ImportEdge | null>();
  const queue: string[] = [];
  for (const start of starts) {
    if (!via.has(start)) {
      via.set(start, null);
      queue.push(start);
    }
  }
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at] as string;
    for (const edge of graph.edges.get(node) ?? []) {
      if (!follow(edge) || via.has(edge.to)) continue;
      via.set(edge.to, edge);
      if (isTarget(edge.to)) {
        const path: ImportEdge[] = [];
        for (let step: ImportEdge | null | undefined = edge; step; step = via.get(step.from)) {
          path.unshift(step);
        }
        return path;
      }
      queue.push(edge.to);
    }
  }
  return null;
}

// ---- the rules ---------------------------------------------------------------------------

export interface Violation {
  rule: string;
  /** What is wrong, with the chain of imports that shows it. */
  message: string;
}

/** The packages that pull TensorFlow.js in (rule a). */
export const ML_PACKAGES = [
  "@nasvae/graph-vae",
  "@nasvae/train-evaluator",
  "@nasvae/training",
  "@nasvae/tf-backend",
  "@nasvae/tfjs-wasm-kernels",
];

/** Rule a: from `entries`, no import path (static, type or lazy) reaches TF.js or an ML package. */
export function mlReachedFrom(graph: ImportGraph, entries: readonly string[]): Violation[] {
  const mlDirs = graph.packages
    .filter((pkg) => ML_PACKAGES.includes(pkg.name))
    .map((pkg) => `${pkg.dir}/`);
  const violations: Violation[] = [];
  for (const entry of entries) {
    const path = findPath(
      graph,
      [entry],
      (node) => node.startsWith("npm:@tensorflow/") || mlDirs.some((dir) => node.startsWith(dir)),
    );
    if (path) {
      const reached = path.at(-1)?.to as string;
      violations.push({
        rule: "no ML stack from the API or the CLI",
        message: `${entry} reaches ${
          reached.startsWith("npm:") ? reached : ownerOf(reached, graph.packages)
        } (TensorFlow.js must stay out of this process):\n    ${describePath(path)}`,
      });
    }
  }
  return violations;
}

/** The one npm package packages/contracts may import (its subpaths too): the schema library. */
export const CONTRACTS_RUNTIME = "npm:typebox";

/**
 * Rule e: packages/contracts stands alone: its src/ imports its own files, Node's built-ins and
 * typebox, no other workspace package and no other npm package, so that anything may depend on it
 * without pulling in TensorFlow.js, Prisma or Fastify.
 */
export function contractsDependencies(graph: ImportGraph): Violation[] {
  const dir = "packages/contracts/src/";
  const violations: Violation[] = [];
  for (const [file, edges] of graph.edges) {
    if (!file.startsWith(dir)) continue;
    for (const edge of edges) {
      const to = edge.to;
      if (to.startsWith(dir) || to.startsWith("node:") || to === CONTRACTS_RUNTIME) continue;
      const what = to.startsWith("npm:") ? to : ownerOf(to, graph.packages);
      violations.push({
        rule: "contracts depend on nothing but typebox",
        message: `${file}:${edge.line} imports ${what} (${edge.specifier}): packages/contracts may import only typebox`,
      });
    }
  }
  return violations;
}

/** Where production code lives: the files the Prisma rule applies to (tests may inspect rows). */
export function isProductionCode(file: string): boolean {
  return (
    /^(apps|packages)\/[^/]+\/src\//.test(file) ||
    file.startsWith("bench/") ||
    file.startsWith("scripts/") ||
    file.startsWith("bin/")
  );
}

/** Prisma client methods that run SQL given by the caller. */
const RAW_PRISMA = /\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|runCommandRaw)\b/g;
/** Prisma model delegate methods (`db.trial.findMany(`). */
const DELEGATE_METHODS = [
  "findMany",
  "findFirst",
  "findFirstOrThrow",
  "findUnique",
  "findUniqueOrThrow",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
];

/** The model names of a Prisma schema, as the client's delegates spell them ("learningCurvePoint"). */
export function prismaDelegates(schema: string): string[] {
  return [...schema.matchAll(/^model\s+(\w+)\s*\{/gm)].map(
    ([, name]) => `${(name as string)[0]?.toLowerCase()}${(name as string).slice(1)}`,
  );
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

const PRISMA_RULE = "only packages/db talks to Prisma";
const isDb = (file: string) => file.startsWith("packages/db/");

/** Rule b, imports: no file outside packages/db (tests included) imports `@prisma/*` or the generated client. */
export function prismaImports(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const [file, edges] of graph.edges) {
    if (isDb(file)) continue;
    for (const edge of edges) {
      if (edge.to.startsWith("npm:@prisma/") || edge.to.startsWith("packages/db/src/generated/")) {
        violations.push({
          rule: PRISMA_RULE,
          message: `${file}:${edge.line} imports ${edge.specifier}; import @nasvae/db and call a repository function instead`,
        });
      }
    }
  }
  return violations;
}

/** Rule b, raw SQL: no production file outside packages/db runs SQL through the client (`$queryRaw`, …). */
export function rawPrismaQueries(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const [file, text] of graph.files) {
    if (isDb(file) || !isProductionCode(file)) continue;
    for (const match of text.matchAll(RAW_PRISMA)) {
      violations.push({
        rule: PRISMA_RULE,
        message: `${file}:${lineOf(text, match.index)} runs raw SQL through the Prisma client (${match[0]}); put the query in packages/db/src/repositories`,
      });
    }
  }
  return violations;
}

/**
 * Rule b, model calls: no file of an app or package outside packages/db calls a Prisma model
 * delegate (`db.campaign.findMany(`), found by text for the models in `delegates` (prismaDelegates).
 */
export function prismaDelegateCalls(graph: ImportGraph, delegates: readonly string[]): Violation[] {
  if (delegates.length === 0) return [];
  const call = new RegExp(
    `\\.(${delegates.join("|")})\\s*\\.\\s*(${DELEGATE_METHODS.join("|")})\\s*\\(`,
    "g",
  );
  const violations: Violation[] = [];
  for (const [file, text] of graph.files) {
    if (isDb(file) || !/^(apps|packages)\/[^/]+\/src\//.test(file)) continue;
    for (const match of text.matchAll(call)) {
      violations.push({
        rule: PRISMA_RULE,
        message: `${file}:${lineOf(text, match.index)} queries Prisma directly (${match[0].slice(1).replace(/\s+/g, "")}…); put the query in packages/db/src/repositories`,
      });
    }
  }
  return violations;
}

/**
 * Rule c: nothing under bench/ or scripts/ reaches an app's source (apps/<app>/src), even through
 * test/ or a helper: one violation per import into an app, with the shortest chain that leads there.
 */
export function appInternalsFromTools(graph: ImportGraph): Violation[] {
  const isApp = (node: string) => /^apps\/[^/]+\/src\//.test(node);
  const tools = [...graph.files.keys()].filter(
    (file) => file.startsWith("bench/") || file.startsWith("scripts/"),
  );
  const violations: Violation[] = [];
  const reported = new Set<string>();
  for (;;) {
    const path = findPath(
      graph,
      tools,
      isApp,
      (edge) => !isApp(edge.from) && !reported.has(`${edge.from}>${edge.to}`),
    );
    if (!path) return violations;
    const last = path.at(-1) as ImportEdge;
    reported.add(`${last.from}>${last.to}`);
    violations.push({
      rule: "bench/ and scripts/ import no app internals",
      message: `${path[0]?.from} reaches ${last.to} (move what both need into a package):\n    ${describePath(path)}`,
    });
  }
}

/**
 * The workspace package graph as the imports make it: package name → the workspace packages its
 * files import. `includeTests`: also the files outside src/ (tests may use devDependencies).
 */
export function packageImports(
  graph: ImportGraph,
  includeTests = false,
): Map<string, Map<string, ImportEdge>> {
  const result = new Map<string, Map<string, ImportEdge>>();
  for (const pkg of graph.packages) result.set(pkg.name, new Map());
  for (const [file, edges] of graph.edges) {
    const owner = graph.packages.find((pkg) => file.startsWith(`${pkg.dir}/`));
    if (!owner || (!includeTests && !file.startsWith(`${owner.dir}/src/`))) continue;
    for (const edge of edges) {
      const target = graph.packages.find((pkg) => edge.to.startsWith(`${pkg.dir}/`));
      if (!target || target === owner) continue;
      const out = result.get(owner.name) as Map<string, ImportEdge>;
      if (!out.has(target.name)) out.set(target.name, edge);
    }
  }
  return result;
}

/** Strongly connected components with more than one node (or a self-loop): Tarjan's algorithm. */
export function cyclesOf(nodes: readonly string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || next(node).includes(node)) cycles.push(component.reverse());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return cycles;
}

/** A cycle through `members`, as a path of edges that ends where it starts. */
function cyclePath(
  members: readonly string[],
  edgesOf: (node: string) => ImportEdge[],
  nodeOf: (target: string) => string,
): ImportEdge[] {
  const inside = new Set(members);
  const start = members[0] as string;
  // Breadth-first from start back to start, staying inside the component.
  const via = new Map<string, ImportEdge>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at] as string;
    for (const edge of edgesOf(node)) {
      const to = nodeOf(edge.to);
      if (!inside.has(to)) continue;
      if (to === start) {
        const path = [edge];
        for (let step = via.get(node); step; step = via.get(nodeOf(step.from))) {
          path.unshift(step);
          if (nodeOf(step.from) === start) break;
        }
        return path;
      }
      if (via.has(to)) continue;
      via.set(to, edge);
      queue.push(to);
    }
  }
  return [];
}

/** Rule d, between packages: the workspace packages' src/ imports form no cycle. */
export function packageCycles(graph: ImportGraph): Violation[] {
  const imports = packageImports(graph);
  const names = [...imports.keys()];
  const nodeOf = (file: string) => ownerOf(file, graph.packages);
  return cyclesOf(names, (name) => [...(imports.get(name)?.keys() ?? [])]).map((members) => {
    const path = cyclePath(members, (name) => [...(imports.get(name)?.values() ?? [])], nodeOf);
    return {
      rule: "no import cycles",
      message: `packages ${members.join(", ")} import each other:\n    ${describePath(path)}`,
    };
  });
}

/** Rule d, between files: no cycle of static (value) imports among the repository's files. */
export function fileCycles(graph: ImportGraph): Violation[] {
  const valueEdges = (file: string) =>
    (graph.edges.get(file) ?? []).filter((edge) => edge.kind === "static");
  const files = [...graph.edges.keys()];
  return cyclesOf(files, (file) =>
    valueEdges(file)
      .map((edge) => edge.to)
      .filter((to) => graph.edges.has(to)),
  ).map((members) => ({
    rule: "no import cycles",
    message: `files ${members.join(", ")} import each other:\n    ${describePath(
      cyclePath(members, valueEdges, (to) => to),
    )}`,
  }));
}

/** Each workspace import of a package's src/ is declared in its package.json dependencies. */
export function undeclaredWorkspaceImports(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const [name, targets] of packageImports(graph)) {
    const pkg = graph.packages.find((candidate) => candidate.name === name) as WorkspacePackage;
    for (const [target, edge] of targets) {
      if (!pkg.dependencies.includes(target)) {
        violations.push({
          rule: "workspace imports are declared",
          message: `${edge.from}:${edge.line} imports ${target}, which ${pkg.dir}/package.json does not list in dependencies`,
        });
      }
    }
  }
  return violations;
}

/** The violations as one failure message: the rule, then each offence with its chain. */
export function report(violations: readonly Violation[]): string {
  if (violations.length === 0) return "no violation";
  return violations.map((violation) => `[${violation.rule}] ${violation.message}`).join("\n\n");
}

/** Declared `@nasvae/*` dependencies nothing imports: dependencies from src/, devDependencies from anywhere in the package. */
export function unusedWorkspaceDependencies(graph: ImportGraph): Violation[] {
  const fromSrc = packageImports(graph);
  const fromAll = packageImports(graph, true);
  const violations: Violation[] = [];
  for (const pkg of graph.packages) {
    const unused = [
      ...pkg.dependencies.filter((name) => !fromSrc.get(pkg.name)?.has(name)),
      ...pkg.devDependencies.filter((name) => !fromAll.get(pkg.name)?.has(name)),
    ].filter((name) => name.startsWith("@nasvae/"));
    for (const name of unused) {
      violations.push({
        rule: "workspace dependencies are used",
        message: `${pkg.dir}/package.json lists ${name}, which ${
          pkg.dependencies.includes(name) ? "no file of its src/" : "none of its files"
        } imports: remove it (or make it a devDependency if only tests use it)`,
      });
    }
  }
  return violations;
}

/** The workspace package graph as package.json `dependencies` declare it: "a -> b" lines, short names, sorted. */
export function declaredPackageGraph(packages: readonly WorkspacePackage[]): string[] {
  const short = (name: string) => name.replace(/^@nasvae\//, "");
  return packages
    .flatMap((pkg) =>
      pkg.dependencies
        .filter((name) => name.startsWith("@nasvae/"))
        .map((name) => `${short(pkg.name)} -> ${short(name)}`),
    )
    .sort();
}

/** The edges of the first ```mermaid block of a markdown text ("a --> b"), as "a -> b" lines, sorted. */
export function mermaidEdges(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1] ?? "";
  return [...block.matchAll(/^\s*([\w-]+)\s*-->\s*([\w-]+)\s*$/gm)]
    .map(([, from, to]) => `${from} -> ${to}`)
    .sort();
}
