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

/** How long `ensureIndexes` waits for one index to be built before it gives up with a clear error. */
const indexBuildLimitMs = 30 * 60_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorName = (error: unknown) => (error as { name?: string }).name;

/**
 * Adds the indexes of `table.ts` that an existing table lacks (a table made by an earlier release), one
 * `UpdateTable` each, and waits until each is active: DynamoDB builds one new index of a table at a time, so the
 * next one is asked for only then. Returns the names added. `described` is the table's description when the
 * caller has just read it: a table with every index active costs no further call. A store that builds slowly
 * (DynamoDB Local behind other work) is waited for, up to 30 minutes per index, then this fails naming the index.
 */
export async function ensureIndexes(client: DynamoDBClient, tableName: string, described?: DescribeTableCommandOutput): Promise<string[]> {
  const input = createTableInput(tableName);
  const added: string[] = [];
  const statusIn = (table: DescribeTableCommandOutput, indexName: string | undefined) =>
    table.Table?.GlobalSecondaryIndexes?.find((existing) => existing.IndexName === indexName)?.IndexStatus;
  const statusOf = async (indexName: string | undefined) => statusIn(await client.send(new DescribeTableCommand({ TableName: tableName })), indexName);
  const first = described ?? (await client.send(new DescribeTableCommand({ TableName: tableName })));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    const deadline = Date.now() + indexBuildLimitMs;
    let status = statusIn(first, index.IndexName);
    if (status === "ACTIVE") continue;
    if (status === undefined) {
      const names = new Set(index.KeySchema?.map((key) => key.AttributeName));
      for (;;) {
        try {
          await client.send(
            new UpdateTableCommand({
              TableName: tableName,
              AttributeDefinitions: input.AttributeDefinitions?.filter((definition) => names.has(definition.AttributeName)),
              GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
            }),
          );
          break;
        } catch (error) {
          // Another index of this table (added by another process) is still being built: wait for it.
          const busy = errorName(error) === "LimitExceededException" || errorName(error) === "ResourceInUseException";
          if (!busy || Date.now() > deadline) throw error;
          await pause(1000);
        }
      }
      added.push(String(index.IndexName));
    }
    for (status = await statusOf(index.IndexName); status !== "ACTIVE" && status !== undefined; status = await statusOf(index.IndexName)) {
      if (Date.now() > deadline) throw new Error(`Index ${String(index.IndexName)} of table ${tableName} is still ${status} after ${indexBuildLimitMs / 60_000} minutes`);
      await pause(500);
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
