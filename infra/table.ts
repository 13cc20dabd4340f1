import { dynamoArgs } from "./table-args.ts";

/**
 * The comment table (on-demand, TTL, stream of new and old images, point-in-time recovery by SST's default).
 * Production also gets deletion protection on top of `removal: "retain"`.
 */
export const table = new sst.aws.Dynamo("Table", {
  ...dynamoArgs(),
  deletionProtection: $app.stage === "production",
});
