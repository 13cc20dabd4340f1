import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** One DynamoDB call: the units DynamoDB Local reported, and the least AWS bills for the same call. */
export interface MeteredCall {
  command: string;
  readUnits: number;
  writeUnits: number;
  awsReadUnits: number;
  awsWriteUnits: number;
}

interface Units {
  CapacityUnits?: number;
}
interface ConsumedCapacity extends Units {
  Table?: Units;
  GlobalSecondaryIndexes?: Record<string, Units>;
}

const writeCommands = new Set(["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand", "BatchWriteItemCommand", "TransactWriteItemsCommand"]);

/** An item's size as DynamoDB bills it (attribute names plus values), for plain JavaScript values. */
export function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  if (typeof value === "number") return 1 + Math.ceil(String(Math.abs(value)).replace(/[^0-9]/g, "").length / 2);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + itemBytes(v), 0);
  if (typeof value === "object") {
    return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + itemBytes(v), 0);
  }
  return 0;
}

type TransactItem = { Put?: { Item: Record<string, unknown> }; Update?: unknown; Delete?: unknown };

/**
 * The least AWS on-demand bills for a call, where DynamoDB Local is known to report less: a key asked for in
 * BatchGetItem costs a read even when the item is absent (Local reports 0), and every item of a transaction
 * costs 2 write units per started KB on its own (Local rounds the transaction's total instead).
 */
function awsMinimum(command: string, input: Record<string, unknown>, table: number): number {
  if (command === "BatchGetItemCommand") {
    const requests = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>);
    const least = requests.reduce((sum, r) => sum + (r.Keys?.length ?? 0) * (r.ConsistentRead ? 1 : 0.5), 0);
    return Math.max(table, least);
  }
  if (command === "TransactWriteItemsCommand") {
    const items = (input.TransactItems ?? []) as TransactItem[];
    // A ConditionCheck is billed as a read, so it adds nothing to this lower bound of writes.
    const least = items.reduce(
      (sum, item) => sum + (item.Put ? 2 * Math.max(1, Math.ceil(itemBytes(item.Put.Item) / 1024)) : item.Update || item.Delete ? 2 : 0),
      0,
    );
    return Math.max(table, least);
  }
  return table;
}

/**
 * Turns on `ReturnConsumedCapacity: "INDEXES"` for every call of a DocumentClient and records what each
 * call consumed, so calls the store does not report itself are counted too.
 */
export function meterCapacity(client: DynamoDBDocumentClient) {
  let calls: MeteredCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = "INDEXES";
      const result = await next(args);
      const command = String((context as { commandName?: string }).commandName ?? "unknown");
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      const table = list.reduce((sum, c) => sum + (c.Table?.CapacityUnits ?? c.CapacityUnits ?? 0), 0);
      const indexes = list.reduce((sum, c) => sum + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((s, i) => s + (i.CapacityUnits ?? 0), 0), 0);
      const aws = awsMinimum(command, input, table) + indexes;
      const writes = writeCommands.has(command);
      calls.push({
        command: command.replace(/Command$/, ""),
        readUnits: writes ? 0 : table + indexes,
        writeUnits: writes ? table + indexes : 0,
        awsReadUnits: writes ? 0 : aws,
        awsWriteUnits: writes ? aws : 0,
      });
      return result;
    },
    { step: "initialize", name: "benchCapacityMeter", override: true },
  );
  return {
    /** The calls made while `run` ran. */
    async during<T>(run: () => Promise<T>): Promise<{ value: T; calls: MeteredCall[] }> {
      calls = [];
      const value = await run();
      const recorded = calls;
      calls = [];
      return { value, calls: recorded };
    },
  };
}
