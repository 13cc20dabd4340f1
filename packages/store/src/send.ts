import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { conditionFailure, guard, withConflictRetry } from "./failures.ts";
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
  /** For a transaction: per item, in order, whether its condition failed. Empty for a single write. */
  readonly failed: readonly boolean[];

  constructor(options: { old?: Item | null; failed?: boolean[]; cause: unknown }) {
    super("condition failed", { cause: options.cause });
    this.name = "ConditionFailed";
    this.old = options.old ?? null;
    this.failed = options.failed ?? [];
  }

  /** True when the transaction item at `index` failed its condition. */
  failedAt(index: number): boolean {
    return this.failed[index] === true;
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
}

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
  const withTable = (item: WriteItem) =>
    Object.fromEntries(Object.entries(item).map(([kind, body]) => [kind, { ...body, TableName: tableName }])) as NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

  return {
    tableName,
    send(operation, command) {
      if (onCapacity) (command.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = "TOTAL";
      return run(operation, () => client.send(command as never) as Promise<OutputOf<typeof command>>);
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
  // The low-level error carries the old item in DynamoDB's own format.
  const old = failure.old ? (unmarshall(failure.old as Parameters<typeof unmarshall>[0]) as Item) : null;
  return new ConditionFailed({ old, failed: failure.failed, cause: error });
}
