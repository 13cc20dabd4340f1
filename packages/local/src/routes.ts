import type { Hono } from "hono";
import { widgetRoutes } from "@comments/widget/server/widget-routes";
import { reviewRoutes } from "@comments/widget/server/review-routes";

/** Routes the local server serves next to the API: the widget, the demo pages and the review page. */
export async function localRoutes(): Promise<Hono[]> {
  return [await widgetRoutes(), await reviewRoutes()];
}
