/**
 * Environment variables the functions' code reads that the deploy deliberately does not set. The plan
 * checks (`scripts/plan/checks.ts`) derive the variables each function reads from its code; every one must
 * be set by the deploy, come from a linked secret, be set by Lambda itself, or be listed here with a reason.
 *
 * Zero SST imports, so the plan checks can read it.
 */
export const notSetOnAws: Record<string, string> = {
  DYNAMODB_ENDPOINT: "points the client at DynamoDB Local; only tests and local tools set it",
  SITES_JSON: "inline sites for tests and the local server; on AWS the sites file ships with the code (SITES_FILE)",
  MODERATION_ORIGINS: "optional: origins of a review page hosted elsewhere (none by default)",
  TRUSTED_PROXY_HOPS: "proxies in front of a self-hosted server; on AWS the reader's address comes from the router's edge function",
  IP_HASH_KEY: "local tools and tests; on AWS the key comes from the linked IpHashKey secret, handed to the runtime directly",
  READ_CACHE_MS: "optional: the in-process read cache of thread pages; unset, each instance uses the default of one second",
  SMTP_URL: "SMTP transport of a self-hosted server; on AWS mail goes through SES (MAIL_FROM, MAIL_CONFIGURATION_SET)",
};

/**
 * Read by the composition root the mail functions share with the API, but not given to them: they send no
 * webhooks, so they do not link the signing key (least privilege).
 */
export const notSetOnMailFunctions: Record<string, string> = {
  WEBHOOK_SIGNING_KEY: "signs webhooks and external hook calls, which the mail functions never make",
};

/** Variables the Lambda runtime sets in every function (AWS's "defined runtime environment variables"). */
export const lambdaRuntimeVariables = [
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
  "TZ",
] as const;

/**
 * IAM actions that AWS defines without a resource type, so a policy can only grant them on `*`
 * (Amazon Comprehend's DetectToxicContent is not scoped to any resource ARN).
 */
export const actionsWithoutResourceTypes = ["comprehend:DetectToxicContent"] as const;
