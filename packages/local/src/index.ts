export { startLocalServer, type LocalServer, type LocalServerOptions } from "./server.ts";
export { startDynamoDbLocal, freePort, type DynamoDbLocal } from "./dynamodb-local.ts";
