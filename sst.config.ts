/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment: DynamoDB table, API Lambda behind a CloudFront router, widget assets, secrets and the
 * moderator-notification stream consumer, and mail (SES identity, stream consumer, schedule, feedback topic). Each concern lives in its own file under infra/.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "comments",
      home: "aws",
      // The table and buckets of production outlive a mistaken `sst remove`, which `protect` refuses anyway.
      removal: production ? "retain" : "remove",
      protect: production,
      // Pinned so `sst install` (and the offline type check) always fetches the same provider.
      providers: { aws: "7.20.0" },
      // Workspace packages get no generated sst-env.d.ts; the root one is kept by hand.
      types: { ignore: ["packages"] },
    };
  },
  async run() {
    // Sites first: a bad sites file fails the deploy before anything is created.
    const { sites } = await import("./infra/sites");
    await import("./infra/secrets");
    const { table } = await import("./infra/table");
    const { router } = await import("./infra/router");
    const { api } = await import("./infra/api");
    const { widgetUrls } = await import("./infra/web");
    await import("./infra/notify");
    await import("./infra/mail");

    return {
      url: router.url,
      api: $interpolate`${api.url}/v1`,
      embed: widgetUrls.embed,
      snippet: $interpolate`<div id="comments" data-site="${sites.sites[0]?.id ?? "SITE"}" data-thread="ARTICLE-ID"></div><script src="${widgetUrls.embed}" async></script>`,
      review: widgetUrls.review,
      table: table.name,
    };
  },
});
