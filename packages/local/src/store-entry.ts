/**
 * The embedded store's public entry (`@comments/local/store`): what the CLIs need to attach to an installation's
 * DynamoDB Local without loading the server, the widget or the app.
 */
export { startEmbeddedStore, classDataArchiveOf, type EmbeddedStore } from "./embedded-store.ts";
export {
  credentialsFile,
  localStoreCredentials,
  localStoreRegion,
  readStoreCredentials,
  storeDirOf,
  type StoreCredentials,
} from "./store-credentials.ts";
export { startDynamoDbLocal, tablesVisibleTo, type DynamoDbLocal } from "./dynamodb-local.ts";
export { isLoopbackHost } from "./start-profile.ts";
