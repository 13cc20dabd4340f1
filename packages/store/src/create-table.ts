import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { tableDefinition } from "./table.ts";

/** The `CreateTable` input built from the key design in `table.ts` (on-demand billing). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const projection = (kind: string) => ({ ProjectionType: kind === "all" ? "ALL" : "KEYS_ONLY" }) as const;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: Object.keys(tableDefinition.fields).map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: [
      { AttributeName: tableDefinition.primaryIndex.hashKey, KeyType: "HASH" },
      { AttributeName: tableDefinition.primaryIndex.rangeKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: Object.entries(tableDefinition.globalIndexes).map(([name, index]) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: index.hashKey, KeyType: "HASH" },
        { AttributeName: index.rangeKey, KeyType: "RANGE" },
      ],
      Projection: projection(index.projection),
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

/**
 * Adds the indexes of `table.ts` that an existing table lacks (a table made by an earlier release), one
 * `UpdateTable` each, and waits until each is active. Returns the names added. `described` is the table's
 * description when the caller has just read it (one `DescribeTable` less).
 */
export async function ensureIndexes(client: DynamoDBClient, tableName: string, described?: DescribeTableCommandOutput): Promise<string[]> {
  const input = createTableInput(tableName);
  const added: string[] = [];
  // One description tells which indexes exist; only indexes are added here, so it stays true for the others.
  const table = described ?? (await client.send(new DescribeTableCommand({ TableName: tableName })));
  const existing = new Set((table.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (existing.has(index.IndexName)) continue;
    const names = new Set(index.KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: input.AttributeDefinitions?.filter((definition) => names.has(definition.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
    added.push(String(index.IndexName));
    for (let wait = 0; wait < 600; wait++) {
      const now = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const status = now.Table?.GlobalSecondaryIndexes?.find((existing) => existing.IndexName === index.IndexName)?.IndexStatus;
      if (status === "ACTIVE" || status === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return added;
}

/** Creates the table (and its TTL setting) unless it exists; an existing one gets the indexes it lacks. Returns true when it was created. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await ensureIndexes(client, tableName, described);
    return false;
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    // Another process created it between our check and our create.
    if ((error as { name?: string }).name === "ResourceInUseException") return false;
    throw error;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: tableDefinition.ttl },
    }),
  );
  return true;
}
