import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, sourceFiles } from "./support/import-graph.ts";

const root = resolve(import.meta.dirname, "..");
const storeFiles = sourceFiles(join(root, "packages/store/src"));
const projectFiles = ["packages", "functions"].flatMap((dir) => sourceFiles(join(root, dir))).filter((file) => !file.includes("/node_modules/"));

/** Key prefixes of the table and the entity modules allowed to spell them (see `table.ts`). */
const keyOwners: Record<string, string[]> = {
  "T#": ["thread.ts"],
  "C#": ["page.ts"],
  "P#": ["page.ts"],
  "V#": ["like.ts"],
  "H#": ["comment.ts"],
  "Q#": ["comment.ts"],
  "A#": ["comment.ts"],
  "F#": ["flag.ts"],
  "U#": ["author.ts"],
  "S#": ["ban.ts"],
  "B#": ["ban.ts"],
  "X#": ["ban.ts"],
  "L#": ["audit.ts"],
  "I#": ["idempotency.ts"],
  "R#": ["rate-window.ts"],
  "K#": ["moderator-key.ts"],
  "N#": ["subscription.ts"],
  "M#": ["comment.ts", "stats.ts", "subscription.ts"],
  "NT#": ["subscription.ts"],
  "NA#": ["mail-state.ts"],
  "NG#": ["mail-state.ts"],
  "ND#": ["mail-state.ts"],
  "NX#": ["mail-state.ts"],
};

/** Source text without comments, so the overview in `table.ts` and TSDoc may name keys. */
const code = (file: string) =>
  readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1");

describe("the store's module structure", () => {
  it("has no import cycle (type-only imports included), in the store or anywhere in the project's packages", () => {
    expect(storeFiles.length).toBeGreaterThan(10);
    expect(findCycles(importGraph(root, storeFiles))).toEqual([]);
    expect(findCycles(importGraph(root, projectFiles))).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself works)", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("keeps every source file of packages/store at 300 lines or fewer", () => {
    const long = storeFiles
      .map((file) => ({ file: relative(root, file), lines: readFileSync(file, "utf8").split("\n").length }))
      .filter((entry) => entry.lines > 300);
    expect(long).toEqual([]);
  });

  it("spells each key string only in the entity module that owns it", () => {
    const strays: string[] = [];
    for (const file of projectFiles) {
      for (const [prefix, owners] of Object.entries(keyOwners)) {
        const isOwner = file.includes("/packages/store/src/entities/") && owners.some((owner) => file.endsWith(`/${owner}`));
        if (!isOwner && new RegExp(`[\`"']${prefix}`).test(code(file))) strays.push(`${relative(root, file)}: ${prefix}`);
      }
    }
    expect(strays).toEqual([]);
  });
});
