import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { claimPut, idempotencyKey, itemToIdempotency, releaseDelete, type IdempotencyClaim, type IdempotencyRecord } from "../entities/idempotency.ts";
import { storeBusy } from "../failures.ts";
import { ConditionFailed, type StoreContext } from "../send.ts";

/** The write that was to complete a claim found it lost (it lapsed and another attempt took the key over). */
export class IdempotencyClaimLost extends Error {
  constructor() {
    super("idempotency claim lost");
    this.name = "IdempotencyClaimLost";
  }
}

/** The outcome of a claim: held by this attempt, or the record that stands in its way. */
export type ClaimOutcome = { claimed: true; claim: IdempotencyClaim } | { claimed: false; existing: IdempotencyRecord };

/** Idempotency records (access pattern 14): claim, read and release; completion is part of the answering write. */
export function idempotencyAccess(ctx: StoreContext) {
  const { tableName } = ctx;
  return {
    /**
     * Claims an Idempotency-Key for one attempt with a short-lived in-progress record (one conditional put).
     * When the key is taken, the standing record comes back with the failed condition (no second read).
     */
    async claimIdempotency(input: IdempotencyClaim & { now: Date; leaseMs: number }): Promise<ClaimOutcome> {
      const claim: IdempotencyClaim = { siteId: input.siteId, key: input.key, requestHash: input.requestHash, attemptId: input.attemptId };
      for (let attempt = 1; ; attempt++) {
        try {
          await ctx.send("claimIdempotency", new PutCommand({ TableName: tableName, ...claimPut(claim, input.now, input.leaseMs) }));
          return { claimed: true, claim };
        } catch (error) {
          if (!(error instanceof ConditionFailed)) throw error;
          const existing = itemToIdempotency(error.old, input.now);
          if (existing) return { claimed: false, existing };
          // The record went away between the put and its answer (released): try the claim again.
          if (attempt >= 3) throw storeBusy(error);
        }
      }
    },

    /** The live record of a key (expired ones still waiting for TTL count as absent). */
    async getIdempotency(siteId: string, key: string, now: Date): Promise<IdempotencyRecord | null> {
      const result = await ctx.send("getIdempotency", new GetCommand({ TableName: tableName, Key: idempotencyKey({ siteId, key }), ConsistentRead: true }));
      return itemToIdempotency(result.Item, now);
    },

    /** Releases a claim after a failed attempt so a retry runs afresh (a no-op once completed or taken over). */
    async releaseIdempotency(claim: IdempotencyClaim): Promise<void> {
      try {
        await ctx.send("releaseIdempotency", new DeleteCommand({ TableName: tableName, ...releaseDelete(claim) }));
      } catch (error) {
        if (!(error instanceof ConditionFailed)) throw error;
      }
    },
  };
}
