/**
 * The widget package's server entry (`@comments/widget/server`): the routes that serve the widget, the demo
 * pages and the review page, and the built assets with their size budgets.
 */
export { widgetRoutes } from "./widget-routes.ts";
export { reviewRoutes, buildReviewAssets } from "./review-routes.ts";
export { widgetAssets, widgetBudgets, checkBudgets, type WidgetAssets, type BudgetCheck } from "./assets.ts";
export { css } from "../embed/styles.ts";
