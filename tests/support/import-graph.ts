import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Module → the project modules it imports (paths relative to the repository root). */
export type ImportGraph = Map<string, string[]>;

const importPattern = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every `.ts` file under `dir` (recursively). */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** Where `@comments/<package>` and `@comments/<package>/<sub>` resolve, from each workspace package's `exports`. */
function workspaceResolver(root: string) {
  const packages = new Map<string, { dir: string; exports: Record<string, string> }>();
  for (const name of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", name, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name: string; exports?: Record<string, string> | string };
    const exports = typeof manifest.exports === "string" ? { ".": manifest.exports } : (manifest.exports ?? {});
    packages.set(manifest.name, { dir: join(root, "packages", name), exports });
  }
  return (specifier: string): string | null => {
    const [scope, name, ...rest] = specifier.split("/");
    const pkg = packages.get(`${scope}/${name}`);
    if (!pkg) return null;
    const subpath = rest.length ? `./${rest.join("/")}` : ".";
    if (pkg.exports[subpath]) return resolve(pkg.dir, pkg.exports[subpath]);
    const pattern = Object.entries(pkg.exports).find(([key]) => key.endsWith("*") && subpath.startsWith(key.slice(0, -1)));
    return pattern ? resolve(pkg.dir, pattern[1].replace("*", subpath.slice(pattern[0].length - 1))) : null;
  };
}

/**
 * The import graph of the given files: relative imports and imports of workspace packages, resolved to files.
 * Type-only imports count too: a cycle of types still ties two modules together.
 */
export function importGraph(root: string, files: string[]): ImportGraph {
  const resolveWorkspace = workspaceResolver(root);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets = new Set<string>();
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2]!;
      const target = specifier.startsWith(".") ? resolve(dirname(file), specifier) : resolveWorkspace(specifier);
      if (target && existsSync(target)) targets.add(relative(root, target));
    }
    graph.set(relative(root, file), [...targets]);
  }
  return graph;
}

/** Every cycle of the graph, each as the list of modules around it (empty when there is none). */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "visiting") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
