/**
 * The DynamoDB actions the API function may call, and nothing else. SST's own table link grants
 * `dynamodb:*` on the table (which includes `DeleteTable`); the API links a narrower `CommentTable` instead
 * (infra/table.ts). `tests/infra-plan.test.ts` derives the list from the store's code in the API bundle
 * (commands sent, and the item operations inside transactions) and fails when the two differ either way.
 *
 * Zero SST imports, so the plan checks can read it.
 */
export const apiTableActions = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:UpdateItem",
] as const;

/** The name the API reads the table's name under (`Resource.CommentTable.name`). */
export const tableLinkName = "CommentTable";
