import type { Hono } from "hono";

/** Routes the local server serves next to the API: the widget, the demo pages and the review page. */
export async function localRoutes(): Promise<Hono[]> {
  return [];
}
