import { tableDefinition } from "../packages/store/src/table.ts";

/**
 * The `sst.aws.Dynamo` arguments for the comment table, built from the one key design in
 * `packages/store/src/table.ts` — the same object the local server's `CreateTable` is built from.
 * Kept free of SST globals so a test can compare it with the table DynamoDB Local actually creates.
 */
export function dynamoArgs(definition: typeof tableDefinition = tableDefinition) {
  return {
    fields: { ...definition.fields },
    primaryIndex: { hashKey: definition.primaryIndex.hashKey, rangeKey: definition.primaryIndex.rangeKey },
    globalIndexes: Object.fromEntries(
      Object.entries(definition.globalIndexes).map(([name, index]) => [
        name,
        { hashKey: index.hashKey, rangeKey: index.rangeKey, projection: index.projection },
      ]),
    ),
    ttl: definition.ttl,
    stream: definition.stream,
  };
}
