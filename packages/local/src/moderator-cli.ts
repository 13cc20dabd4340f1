/**
 * `npm run moderator -- create --site demo --name alice [--role admin]` prints a new moderator key once
 * (admin keys also manage the keys of their sites).
 * `npm run moderator -- revoke --id <keyId>` revokes one. Works against `DYNAMODB_ENDPOINT`, the store of a
 * running `npm start`, the embedded store in `DATA_DIR`, or with `--aws --table <name>` a deployed stage.
 */
import { parseArgs } from "node:util";
import { newModeratorKey } from "@comments/api";
import { openAwsStore, openLocalStore } from "./store-access.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const usage = `Usage:
  npm run moderator -- create --name <name> --site <siteId> [--site <siteId> ...] [--role moderator|admin] [--aws --table <table>]
  npm run moderator -- revoke --id <keyId> [--aws --table <table>]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    site: { type: "string", multiple: true },
    name: { type: "string" },
    role: { type: "string", default: "moderator" },
    id: { type: "string" },
    aws: { type: "boolean" },
    table: { type: "string" },
    help: { type: "boolean" },
  },
});
const command = positionals[0];

if (values.help || !command || !["create", "revoke"].includes(command)) {
  console.log(usage);
  process.exit(command || values.help ? 0 : 1);
}
if (command === "create" && (!values.name || !values.site?.length)) {
  console.error(`create needs --name and at least one --site\n${usage}`);
  process.exit(1);
}
if (values.role !== "moderator" && values.role !== "admin") {
  console.error(`--role must be moderator or admin\n${usage}`);
  process.exit(1);
}
if (command === "revoke" && !values.id) {
  console.error(`revoke needs --id\n${usage}`);
  process.exit(1);
}

if (values.aws && !values.table) {
  console.error(`--aws needs --table (the deployed table's name, printed by sst deploy)\n${usage}`);
  process.exit(1);
}
const access = values.aws ? await openAwsStore(values.table!) : await openLocalStore();
try {
  if (command === "create") {
    const { key, record } = newModeratorKey(values.name!, values.site!, new Date(), values.role);
    await access.store.putModeratorKey(record);
    console.log(`${record.role === "admin" ? "Admin" : "Moderator"} key for ${record.name} (sites: ${record.sites.join(", ")}), id ${record.keyId}.`);
    console.log(`Store it now; it is not shown again:\n\n  ${key}\n`);
  } else {
    const revoked = await access.store.revokeModeratorKey(values.id!, new Date());
    console.log(revoked ? `Revoked key ${values.id}.` : `No key with id ${values.id}.`);
    if (!revoked) process.exitCode = 1;
  }
} finally {
  await access.close();
}
