import { edgeInjection, edgeKey } from "./viewer-ip.ts";
import { ipHashKey } from "./secrets.ts";

/**
 * The CloudFront router in front of the API and the widget assets.
 *
 * Caching: SST's policy caches nothing by default (TTL 0) and honours the origin's `Cache-Control`, so only
 * responses that ask for it are cached — thread reads and counts (`s-maxage=5, stale-while-revalidate=30`),
 * site config (60 s) and widget assets. POSTs are never cached by CloudFront; moderation responses carry no
 * shared-cache header. The cache key adds `Origin` (CORS answers differ per origin) and `Authorization` (CloudFront
 * forwards it to the origin only when it is part of the key; moderators authenticate with it).
 */
export const router = new sst.aws.Router("Router", {
  ...(process.env.COMMENTS_DOMAIN ? { domain: process.env.COMMENTS_DOMAIN } : {}),
  edge: {
    viewerRequest: {
      // Runs before SST's routing code on every request: the reader's address for rate limits and bans.
      injection: ipHashKey.value.apply((key) => edgeInjection(edgeKey(key))),
    },
  },
  // Stable asset names (embed.js, count.js, the review page) change in place: clear the edge on each deploy.
  invalidation: { paths: ["/*"], wait: false },
  transform: {
    cachePolicy: {
      comment: "comments: honour origin Cache-Control; key on Origin and Authorization",
      defaultTtl: 0,
      minTtl: 0,
      maxTtl: 31_536_000,
      parametersInCacheKeyAndForwardedToOrigin: {
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: {
          headerBehavior: "whitelist",
          // The first two are SST's own (x-forwarded-host carries the viewer's host to the function).
          headers: { items: ["x-open-next-cache-key", "x-forwarded-host", "origin", "authorization"] },
        },
        queryStringsConfig: { queryStringBehavior: "all" },
        enableAcceptEncodingBrotli: true,
        enableAcceptEncodingGzip: true,
      },
    },
  },
});
