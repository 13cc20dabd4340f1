export * from "./table.ts";
export * from "./client.ts";
export * from "./dynamo.ts";
export * from "./create-table.ts";
export * from "./bulk.ts";
