import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { conditionFailure, guard, untilProcessed, withConflictRetry } from "./failures.ts";
import type { Item, WriteItem } from "./entities/item.ts";

/**
 * The one way the store talks to DynamoDB. Every call goes through {@link StoreContext.send} (or
 * {@link StoreContext.transact}), which
 * - turns failures of the store itself into `503 unavailable` (nothing half-written),
 * - asks for and reports consumed capacity when the store was created with `onCapacity`,
 * - turns a failed condition, of a single write or of any item of a transaction, into {@link ConditionFailed}:
 *   the only place DynamoDB's condition errors are recognised.
 */

/** A write's condition did not hold (an answer, not a failure of the store). */
export class ConditionFailed extends Error {
  /** The item as it was, when the write asked for it (`ReturnValuesOnConditionCheckFailure: "ALL_OLD"`). */
  readonly old: Item | null;
  /** For a transaction: per item, in order, whether its condition failed and (when asked for) its old item. */
  readonly items: readonly { failed: boolean; old: Item | null }[];

  constructor(options: { old?: Item | null; items?: { failed: boolean; old: Item | null }[]; cause: unknown }) {
    super("condition failed", { cause: options.cause });
    this.name = "ConditionFailed";
    this.old = options.old ?? null;
    this.items = options.items ?? [];
  }

  /** True when the transaction item at `index` failed its condition. */
  failedAt(index: number): boolean {
    return this.items[index]?.failed === true;
  }

  /** The old item of the transaction item at `index`, when its write asked for it (`ALL_OLD`). */
  oldAt(index: number): Item | null {
    return this.items[index]?.old ?? null;
  }
}

/** Called with the capacity units each call consumed. */
export type CapacityListener = (operation: string, units: number) => void;

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
/** Any lib-dynamodb command (GetCommand, QueryCommand, …); its `input` may gain `ReturnConsumedCapacity`. */
type DocumentCommand = { input: object; resolveMiddleware(...args: never[]): unknown };
/** The output type of a lib-dynamodb command. */
type OutputOf<C> = C extends { resolveMiddleware(...args: never[]): infer H } ? (H extends (...args: never[]) => Promise<{ output: infer O }> ? O : never) : never;

/** What every access module receives: the table, and the guarded way to call it. */
export interface StoreContext {
  tableName: string;
  /** Sends one command: guarded, capacity reported under `operation`, failed conditions as {@link ConditionFailed}. */
  send<C extends DocumentCommand>(operation: string, command: C): Promise<OutputOf<C>>;
  /**
   * Writes items in one transaction, retrying lost races (`TransactionConflict`) with backoff. `token` makes the
   * SDK's own retries of one attempt idempotent (DynamoDB remembers a `ClientRequestToken` for 10 minutes).
   */
  transact(operation: string, items: WriteItem[], options?: { token?: string }): Promise<void>;
  /**
   * Reads items by key (consistently), sharing ONE BatchGetItem with every other `getTogether` asked for in the
   * same tick: reads started together (the checks before a post) cost one call, not one each.
   */
  getTogether(operation: string, keys: Key[]): Promise<Item[]>;
}

/** A primary key. */
export type Key = { pk: string; sk: string };

const maxBatchGetKeys = 100;

/** Builds the {@link StoreContext} over one DocumentClient and table. */
export function createStoreContext(client: DynamoDBDocumentClient, tableName: string, onCapacity?: CapacityListener): StoreContext {
  const report = (operation: string, consumed: Consumed) => {
    if (!onCapacity || !consumed) return;
    const list = Array.isArray(consumed) ? consumed : [consumed];
    onCapacity(operation, list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0));
  };
  const run = async <O>(operation: string, call: () => Promise<O>): Promise<O> => {
    try {
      const output = await guard(call);
      report(operation, (output as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
      return output;
    } catch (error) {
      throw asConditionFailed(error) ?? error;
    }
  };
  let gathering: { operation: string; keys: Key[]; resolve: (items: Item[]) => void; reject: (error: unknown) => void }[] | null = null;
  const sendGathered = async () => {
    const readers = gathering ?? [];
    gathering = null;
    const operation = [...new Set(readers.map((reader) => reader.operation))].join("+");
    const keys = [...new Map(readers.flatMap((reader) => reader.keys).map((key) => [`${key.pk}\n${key.sk}`, key])).values()];
    try {
      const found: Item[] = [];
      // Readers of several requests may meet in one tick; BatchGetItem takes at most 100 keys per call.
      const chunks = Array.from({ length: Math.ceil(keys.length / maxBatchGetKeys) }, (_, i) => keys.slice(i * maxBatchGetKeys, (i + 1) * maxBatchGetKeys));
      await Promise.all(
        chunks.map((chunk) =>
          untilProcessed(chunk, async (pending) => {
            const result = await send(operation, new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
            found.push(...(result.Responses?.[tableName] ?? []));
            return (result.UnprocessedKeys?.[tableName]?.Keys as Key[] | undefined) ?? [];
          }),
        ),
      );
      for (const reader of readers) reader.resolve(found.filter((item) => reader.keys.some((key) => key.pk === item.pk && key.sk === item.sk)));
    } catch (error) {
      for (const reader of readers) reader.reject(error);
    }
  };
  const send: StoreContext["send"] = (operation, command) => {
    if (onCapacity) (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
    return run(operation, () => client.send(command as never) as Promise<OutputOf<typeof command>>);
  };
  const withTable = (item: WriteItem) =>
    Object.fromEntries(Object.entries(item).map(([kind, body]) => [kind, { ...body, TableName: tableName }])) as NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

  return {
    tableName,
    send,
    getTogether(operation, keys) {
      return new Promise((resolve, reject) => {
        // The first reader of a tick schedules the call; the others asked for in the same tick join it.
        if (!gathering) {
          gathering = [];
          queueMicrotask(() => void sendGathered());
        }
        gathering.push({ operation, keys, resolve, reject });
      });
    },
    async transact(operation, items, options = {}) {
      await run(operation, () =>
        withConflictRetry((attempt) =>
          client.send(
            new TransactWriteCommand({
              TransactItems: items.map(withTable),
              ...(options.token ? { ClientRequestToken: `${options.token}-${attempt}` } : {}),
              ...(onCapacity ? { ReturnConsumedCapacity: "TOTAL" } : {}),
            }),
          ),
        ),
      );
    },
  };
}

/** The {@link ConditionFailed} a DynamoDB error stands for, or null when it is something else. */
function asConditionFailed(error: unknown): ConditionFailed | null {
  const failure = conditionFailure(error);
  if (!failure) return null;
  // The low-level error carries old items in DynamoDB's own format.
  const native = (raw: Record<string, unknown> | null) => (raw ? (unmarshall(raw as Parameters<typeof unmarshall>[0]) as Item) : null);
  return new ConditionFailed({ old: native(failure.old), items: failure.items.map((item) => ({ failed: item.failed, old: native(item.old) })), cause: error });
}
