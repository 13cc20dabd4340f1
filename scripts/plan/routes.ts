import type { StackPlan } from "./plan-stack.ts";

/** One route of the CloudFront router, as SST writes it into the router's key-value store. */
export interface PlannedRoute {
  /** Path prefix ("/" for the catch-all). */
  path: string;
  kind: "url" | "bucket" | string;
  /** The component that added the route (`Api`, `RouterRoute/embed.js`). */
  owner: string;
  /** Human-readable target. */
  target: string;
}

/**
 * The router's routes from SST's `KvRoutesUpdate` resources: each entry is `kind,namespace,host,path`
 * (`.sst/platform/src/components/aws/router.ts`); SST matches the longest path prefix first, and an empty
 * path is the catch-all.
 */
export function planRoutes(plan: Pick<StackPlan, "resources">): PlannedRoute[] {
  const metadata = new Map<string, string>();
  for (const resource of plan.resources) {
    if (!resource.name.endsWith(".sst.aws.KvKeys")) continue;
    const raw = (resource.inputs.entries as Record<string, string> | undefined)?.metadata;
    if (raw) metadata.set(String(resource.inputs.namespace), raw);
  }
  return plan.resources
    .filter((resource) => resource.name.endsWith(".sst.aws.KvRoutesUpdate"))
    .map((resource) => {
      const [kind = "", namespace = "", host = "", path = ""] = String(resource.inputs.entry).split(",");
      const owner = resource.name.replace(/RoutesUpdate\.sst\.aws\.KvRoutesUpdate$/, "");
      const meta = JSON.parse(metadata.get(namespace) ?? "{}") as { host?: string; url?: string; domain?: string };
      const where = meta.domain ?? meta.host ?? meta.url ?? "";
      const target = `${kind === "url" ? "function URL" : kind} of \`${owner}\`${where ? ` (${where})` : ""}${host ? ` for host ${host}` : ""}`;
      return { path: path || "/", kind, owner, target };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
