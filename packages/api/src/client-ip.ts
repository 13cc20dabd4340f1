import type { Context } from "hono";
import { isIP } from "node:net";

/** Options for {@link clientIpResolver}. */
export interface ClientIpOptions {
  /** The address the request came from (the socket locally, `requestContext` on Lambda). */
  peer: (c: Context) => string | undefined;
  /**
   * How many proxies in front of us append to `X-Forwarded-For` (0: ignore the header, the default).
   * With 1, the last entry is the client as our own proxy saw it.
   */
  trustedProxyHops?: number;
  /** Trust CloudFront's `CloudFront-Viewer-Address` header (only when the origin is reachable through CloudFront alone). */
  trustCloudFront?: boolean;
}

/**
 * Resolves the client address used for rate limits, flags and bans. Headers a client can forge are ignored
 * unless a proxy we run is configured to set them.
 */
export function clientIpResolver(options: ClientIpOptions): (c: Context) => string | undefined {
  const hops = options.trustedProxyHops ?? 0;
  return (c) => {
    if (options.trustCloudFront) {
      const viewer = c.req.header("cloudfront-viewer-address");
      const ip = viewer ? viewer.replace(/:\d+$/, "").replace(/^\[|\]$/g, "") : undefined;
      if (ip && isIP(ip)) return ip;
    }
    if (hops > 0) {
      const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((part) => part.trim()).filter(Boolean);
      const candidate = forwarded[forwarded.length - hops];
      if (candidate && isIP(candidate)) return candidate;
    }
    return options.peer(c);
  };
}
