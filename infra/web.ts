import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { router } from "./router.ts";
import { assetRoutes, planWidgetAssets } from "./widget-assets.ts";

const widgetDir = join($cli.paths.root, "packages/widget");
const distDir = join(widgetDir, "dist");
const buildScript = join(widgetDir, "scripts/build.ts");

// Build what we ship: the widget's own script writes embed.js, count.js (plain and content-hashed) to dist/.
if (existsSync(buildScript)) {
  try {
    console.log(execFileSync("npx", ["tsx", buildScript], { cwd: $cli.paths.root, encoding: "utf8", stdio: "pipe" }));
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`The widget build failed (packages/widget/scripts/build.ts):\n${stdout ?? ""}${stderr ?? ""}`);
  }
}
if (!existsSync(distDir)) {
  throw new Error(`No widget build at ${distDir}: run \`npx tsx packages/widget/scripts/build.ts\` first.`);
}
const assets = planWidgetAssets(distDir);
if (assets.length === 0) throw new Error(`The widget build at ${distDir} is empty.`);

/** Widget assets (embed.js, count.js, the review page), private to CloudFront. */
export const widgetBucket = new sst.aws.Bucket("WidgetAssets", { access: "cloudfront" });

for (const asset of assets) {
  new aws.s3.BucketObjectv2(`WidgetAsset/${asset.key}`, {
    bucket: widgetBucket.name,
    key: asset.key,
    source: new $util.asset.FileAsset(asset.file),
    contentType: asset.contentType,
    cacheControl: asset.cacheControl,
  });
}

// Exact paths win over the API's catch-all route: /embed.js, /count.js, /moderate, /assets/…
for (const path of assetRoutes(assets)) router.routeBucket(path, widgetBucket);

const served = (key: string) => assets.some((asset) => asset.key === key);

/** Public URLs of the entry points the build produced, for the stage's outputs. */
export const widgetUrls = {
  embed: $interpolate`${router.url}/embed.js`,
  count: $interpolate`${router.url}/count.js`,
  review: served("moderate") ? $interpolate`${router.url}/moderate` : "(the widget build has no moderate.html)",
};
