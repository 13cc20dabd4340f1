import type { Context } from "hono";
import type { ResolvedDeps, AppEnv } from "../deps.ts";
import { renderSubscriptionPage, subscriptionPagePolicy, type SubscriptionPage } from "../mail/pages.ts";
import { threadPageOf } from "../mail/thread-page.ts";
import { mailTokenHash } from "../mail/tokens.ts";
import type { RouteDef } from "./route-table.ts";
import { publicErrors } from "./scopes.ts";

/** The paths of the links mails carry; they are followed from mail clients, never from the site's pages. */
export const subscriptionLinkPaths = {
  confirm: "/v1/sites/{siteId}/subscriptions/confirm",
  unsubscribe: "/v1/sites/{siteId}/subscriptions/unsubscribe",
} as const;

/** True for a request to one of the mail links (the origin guard lets them through: the token is the key). */
export const isSubscriptionLink = (path: string) => /^\/v1\/sites\/[^/]+\/subscriptions\/(?:confirm|unsubscribe)$/.test(path);

/** An HTML page; a page behind a token is never cached nor indexed. */
function page(c: Context<AppEnv>, body: SubscriptionPage, language: string, status: 200 | 404 = 200) {
  c.header("Content-Security-Policy", subscriptionPagePolicy);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Robots-Tag", "noindex");
  return c.html(renderSubscriptionPage(body, language), status);
}

/**
 * The routes behind the links of mails (DESIGN §6.5): the double opt-in confirmation page, the unsubscribe
 * page (GET: a button only) and the one-click unsubscribe (POST, RFC 8058). A link that leads nowhere gets
 * a 404 page that changes nothing; following a link twice is harmless.
 */
export function subscriptionRoutes(deps: ResolvedDeps): RouteDef[] {
  const { store, now } = deps;
  const titleOf = async (c: Context<AppEnv>, threadId: string) => (await threadPageOf(store, c.var.site, threadId)).title;

  const unsubscribe = async (c: Context<AppEnv>) => {
    const hash = mailTokenHash("unsubscribe", c.req.query("token"));
    const change = hash ? await store.unsubscribe(c.var.site.id, hash, now()) : ({ outcome: "unknown" } as const);
    if (change.outcome === "unknown") return page(c, { kind: "unknownLink" }, "en", 404);
    const { subscription } = change;
    return page(c, { kind: "unsubscribed", title: await titleOf(c, subscription.threadId) }, subscription.language);
  };

  return [
    {
      method: "get",
      path: subscriptionLinkPaths.confirm,
      summary: "Confirm an email subscription (the double opt-in link; an HTML page)",
      ok: { 200: { description: "Confirmed (or confirmed before): an HTML page" } },
      errors: [...publicErrors, "not_found"],
      handler: async (c) => {
        const hash = mailTokenHash("confirm", c.req.query("token"));
        const change = hash ? await store.confirmSubscription(c.var.site.id, hash, now()) : ({ outcome: "unknown" } as const);
        if (change.outcome === "unknown") return page(c, { kind: "unknownLink" }, "en", 404);
        const { subscription } = change;
        const title = await titleOf(c, subscription.threadId);
        if (subscription.state === "unsubscribed") return page(c, { kind: "unsubscribed", title }, subscription.language);
        return page(c, { kind: change.outcome === "changed" ? "confirmed" : "alreadyConfirmed", title }, subscription.language);
      },
    },
    {
      method: "get",
      path: subscriptionLinkPaths.unsubscribe,
      summary: "The unsubscribe page: a button that unsubscribes (following the link changes nothing)",
      ok: { 200: { description: "An HTML page with an Unsubscribe button" } },
      errors: [...publicErrors, "not_found"],
      handler: async (c) => {
        const hash = mailTokenHash("unsubscribe", c.req.query("token"));
        const subscription = hash ? await store.findSubscriptionByToken(c.var.site.id, hash, "unsubscribe", now()) : null;
        if (!subscription) return page(c, { kind: "unknownLink" }, "en", 404);
        const title = await titleOf(c, subscription.threadId);
        if (subscription.state === "unsubscribed") return page(c, { kind: "unsubscribed", title }, subscription.language);
        const action = `?${new URLSearchParams({ token: c.req.query("token") ?? "" })}`;
        return page(c, { kind: "unsubscribeAsk", title, action }, subscription.language);
      },
    },
    {
      method: "post",
      path: subscriptionLinkPaths.unsubscribe,
      summary: "One-click unsubscribe (RFC 8058: `List-Unsubscribe=One-Click`), and the page's button",
      ok: { 200: { description: "Unsubscribed (or unsubscribed before): an HTML page" } },
      errors: [...publicErrors, "not_found"],
      handler: unsubscribe,
    },
  ];
}
