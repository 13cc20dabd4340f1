import { Hono } from "hono";
import { widgetRoutes } from "@comments/widget/server";
import { reviewRoutes } from "@comments/widget/server";

/** What the local server serves next to the API. */
export interface LocalRoutesOptions {
  /** The demo article pages (`/`, `/fa`); off in production. Default true. */
  demoPages?: boolean;
}

/** Routes the local server serves next to the API: the widget, the demo pages and the review page. */
export async function localRoutes(options: LocalRoutesOptions = {}): Promise<Hono[]> {
  // The demo articles' "Sign in as a demo reader" asks the local server's demo token route (built-in demo site only).
  const [widget, review] = await Promise.all([widgetRoutes({ demoToken: "/demo/sso-token" }), reviewRoutes()]);
  return [options.demoPages === false ? withoutPages(widget) : widget, review];
}

/**
 * The widget's scripts without its demo pages: every HTML answer of the widget's routes is a demo article, so
 * production answers those paths like any unknown route.
 */
function withoutPages(widget: Hono): Hono {
  const app = new Hono();
  app.get("*", async (c, next) => {
    const response = await widget.fetch(c.req.raw);
    if (response.status === 404 || (response.headers.get("content-type") ?? "").startsWith("text/html")) return next();
    return response;
  });
  return app;
}
