import { apiTableActions, tableLinkName } from "./table-access.ts";
import { dynamoArgs } from "./table-args.ts";

/**
 * The comment table (on-demand, TTL, stream of new and old images, point-in-time recovery by SST's default).
 * Production also gets deletion protection on top of `removal: "retain"`.
 */
export const table = new sst.aws.Dynamo("Table", {
  ...dynamoArgs(),
  deletionProtection: $app.stage === "production",
});

/**
 * What the API links instead of the table itself: its name, and only the actions the store calls, on the
 * table and its indexes (not its stream, not `DeleteTable`).
 */
export const tableLink = new sst.Linkable(tableLinkName, {
  properties: { name: table.name },
  include: [
    sst.aws.permission({
      actions: [...apiTableActions],
      resources: [table.arn, $interpolate`${table.arn}/index/*`],
    }),
  ],
});
