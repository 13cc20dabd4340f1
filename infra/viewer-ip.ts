import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/**
 * The contract between the CloudFront router and the API Lambda for the reader's IP address.
 *
 * Through the router, the Lambda's `sourceIp` is a CloudFront edge address, and CloudFront's own
 * `CloudFront-Viewer-Address` never reaches it (the router forwards viewer headers only). So the router's
 * viewer-request function writes the viewer's address and a key into two headers, overwriting whatever the
 * client sent; the Lambda believes the address only when the key matches. Requests that reach the function
 * URL directly carry no valid key and are judged by their real `sourceIp`.
 */
export const viewerIpHeaders = {
  /** The viewer's address as CloudFront saw it (`event.viewer.ip`). */
  address: "x-comments-viewer-ip",
  /** Proves the request passed through our router. */
  key: "x-comments-edge-key",
} as const;

/** The edge key, derived from the IP-hash key so no extra secret has to be set (one-way: it reveals nothing of it). */
export function edgeKey(ipHashKey: string): string {
  return createHmac("sha256", ipHashKey).update("comments/cloudfront-edge-key/v1").digest("base64url");
}

/** The viewer-request code (CloudFront Functions, cloudfront-js-2.0) that sets both headers. */
export function edgeInjection(key: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error("edge key must be base64url");
  return [
    `event.request.headers["${viewerIpHeaders.address}"] = { value: event.viewer.ip };`,
    `event.request.headers["${viewerIpHeaders.key}"] = { value: "${key}" };`,
  ].join("\n");
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * The viewer address from the router's headers, or undefined when the key is missing or wrong (constant-time
 * comparison) or the address is not an IP.
 */
export function viewerAddressFromEdge(headers: { key: string | undefined; address: string | undefined }, expectedKey: string): string | undefined {
  if (!headers.key || !headers.address || !timingSafeEqual(digest(headers.key), digest(expectedKey))) return undefined;
  return isIP(headers.address) ? headers.address : undefined;
}
