import type { ComprehendClient, DetectToxicContentCommandOutput } from "@aws-sdk/client-comprehend";
import { reasonDetails, type Phase, type PhaseFinding, type SiteConfig } from "@comments/core";
import type { Logger } from "../../logger.ts";

/** A site's `moderation.toxicity` settings, with defaults applied. */
export type ToxicityConfig = NonNullable<SiteConfig["moderation"]["toxicity"]>;

/**
 * What one `DetectToxicContent` call accepts: at most 10 segments of at most 1 KB (UTF-8) each, 10 KB in all.
 * 1000 bytes keeps each segment under the limit whether Comprehend counts a KB as 1000 or 1024 bytes.
 */
export const comprehendSegmentLimits = { maxBytes: 1000, maxSegments: 10 } as const;

/** Labels scoring below this are left out of the moderator's detail (Comprehend always returns all seven). */
const labelFloor = 0.1;

/** Options for {@link comprehendToxicityPhase}. */
export interface ComprehendToxicityOptions {
  /** Told when a check could not be made (the comment is queued either way). */
  logger?: Logger;
  /** Where `AWS_REGION` is read when a site sets no region (defaults to `process.env`). */
  env?: Record<string, string | undefined>;
}

/**
 * A phase that asks Amazon Comprehend (`DetectToxicContent`) how toxic a comment's text is. A toxicity score at
 * or above the site's `moderation.toxicity.threshold` queues the comment (reason `toxicity`); a timeout, a
 * network error or any AWS error also queues it, so the check can never lose or wave through a comment.
 * Sites without `moderation.toxicity` are skipped. Only the body is sent: never the name, email or IP.
 */
export function comprehendToxicityPhase(options: ComprehendToxicityOptions = {}): Phase {
  const env = options.env ?? process.env;
  return async ({ site, body }) => {
    const config = site.moderation.toxicity;
    if (!config) return undefined;
    const { segments } = splitIntoSegments(body);
    if (segments.length === 0) return undefined;
    const unavailable = (cause: string, error?: unknown): PhaseFinding => {
      options.logger?.error("toxicity check unavailable", { site: site.id, cause, ...(error ? { error: String((error as Error).message ?? error) } : {}) });
      return { status: "pending", reason: "toxicity", detail: reasonDetails.toxicityUnavailable(cause) };
    };
    let output: DetectToxicContentCommandOutput;
    try {
      output = await detectToxicContent(config, segments, env);
    } catch (error) {
      return unavailable(describeFailure(error, config.timeoutMs), error);
    }
    const scores = combine(output, segments.length);
    if (!scores) return unavailable("unexpected answer");
    return scores.toxicity >= config.threshold ? toxic(scores) : undefined;
  };
}

/**
 * Splits text into Comprehend segments at whitespace (a word longer than a segment is cut between code points).
 * Text beyond 10 segments is not sent; `truncated` says so.
 * @example splitIntoSegments("a ".repeat(800)).segments.length // 2
 */
export function splitIntoSegments(text: string, limits: { maxBytes: number; maxSegments: number } = comprehendSegmentLimits): { segments: string[]; truncated: boolean } {
  const segments: string[] = [];
  let current = "";
  let currentBytes = 0;
  const flush = () => {
    const segment = current.trim();
    if (segment !== "") segments.push(segment);
    current = "";
    currentBytes = 0;
  };
  for (const token of text.match(/\s+|\S+/gu) ?? []) {
    const bytes = Buffer.byteLength(token);
    if (currentBytes + bytes <= limits.maxBytes) {
      current += token;
      currentBytes += bytes;
      continue;
    }
    flush();
    if (/^\s/u.test(token)) continue;
    if (bytes <= limits.maxBytes) {
      current = token;
      currentBytes = bytes;
      continue;
    }
    for (const char of token) {
      const charBytes = Buffer.byteLength(char);
      if (currentBytes + charBytes > limits.maxBytes) flush();
      current += char;
      currentBytes += charBytes;
    }
  }
  flush();
  const truncated = segments.length > limits.maxSegments;
  return { segments: segments.slice(0, limits.maxSegments), truncated };
}

interface ToxicityScores {
  toxicity: number;
  labels: Array<{ name: string; score: number }>;
}

/** The highest toxicity and the highest score per label over all segments; undefined for a malformed answer. */
function combine(output: DetectToxicContentCommandOutput, segmentCount: number): ToxicityScores | undefined {
  const results = output.ResultList;
  if (!Array.isArray(results) || results.length !== segmentCount) return undefined;
  let toxicity = -1;
  const labels = new Map<string, number>();
  for (const result of results) {
    if (typeof result.Toxicity !== "number" || !Number.isFinite(result.Toxicity)) return undefined;
    toxicity = Math.max(toxicity, result.Toxicity);
    for (const label of result.Labels ?? []) {
      if (typeof label.Name !== "string" || typeof label.Score !== "number") continue;
      labels.set(label.Name, Math.max(labels.get(label.Name) ?? 0, label.Score));
    }
  }
  return {
    toxicity,
    labels: [...labels].map(([name, score]) => ({ name, score })).sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)),
  };
}

/** "toxicity 0.83 (INSULT 0.91, PROFANITY 0.40)". */
function toxic({ toxicity, labels }: ToxicityScores): PhaseFinding {
  const shown = labels.filter((label) => label.score >= labelFloor).map((label) => `${label.name} ${label.score.toFixed(2)}`);
  return { status: "pending", reason: "toxicity", detail: reasonDetails.toxicity(toxicity, shown), aboutLanguage: true };
}

/** Raised when Comprehend has not answered within the site's `timeoutMs` (retries included). */
class ToxicityTimeout extends Error {
  override name = "ToxicityTimeout";
}

async function detectToxicContent(config: ToxicityConfig, segments: string[], env: Record<string, string | undefined>): Promise<DetectToxicContentCommandOutput> {
  const { client, DetectToxicContentCommand } = await clientFor(config, env);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One bound for the whole call, retries and backoff included: the reader's request must not hang on it.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ToxicityTimeout());
      controller.abort();
    }, config.timeoutMs);
  });
  try {
    const command = new DetectToxicContentCommand({ TextSegments: segments.map((Text) => ({ Text })), LanguageCode: config.languageCode });
    return await Promise.race([client.send(command, { abortSignal: controller.signal, requestTimeout: config.timeoutMs }), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

type ComprehendModule = typeof import("@aws-sdk/client-comprehend");
interface CachedClient {
  client: ComprehendClient;
  DetectToxicContentCommand: ComprehendModule["DetectToxicContentCommand"];
}

// Module scope: one client (and its keep-alive connections) per region and endpoint for the life of the container.
const clients = new Map<string, Promise<CachedClient>>();

function clientFor(config: ToxicityConfig, env: Record<string, string | undefined>): Promise<CachedClient> {
  const local = config.endpoint !== null && isLoopback(config.endpoint);
  const region = config.region ?? env.AWS_REGION ?? (local ? "us-east-1" : undefined);
  const key = `${region ?? ""}|${config.endpoint ?? ""}`;
  let cached = clients.get(key);
  if (!cached) {
    // Loaded on first use, so sites without a toxicity check never pay for the SDK client at cold start.
    cached = import("@aws-sdk/client-comprehend").then(({ ComprehendClient, DetectToxicContentCommand }) => ({
      client: new ComprehendClient({
        ...(region ? { region } : {}),
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        // A local stand-in checks no signature; fixed credentials keep tests free of AWS setup.
        ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
        // One retry at most: a second failure queues the comment rather than holding the reader's request.
        maxAttempts: 2,
      }),
      DetectToxicContentCommand,
    }));
    cached.catch(() => clients.delete(key));
    clients.set(key, cached);
  }
  return cached;
}

function isLoopback(url: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
}

/** A short cause for moderators: "no answer within 2000 ms", "ThrottlingException, HTTP 400", "could not be reached". */
function describeFailure(error: unknown, timeoutMs: number): string {
  const failure = (error ?? {}) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = failure.name ?? "Error";
  if (error instanceof ToxicityTimeout || name === "TimeoutError" || name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const status = failure.$metadata?.httpStatusCode;
  if (status !== undefined) return name === "SyntaxError" ? `HTTP ${status}, answer is not JSON` : `${name}, HTTP ${status}`;
  if (failure.code && /^E[A-Z]+/.test(failure.code)) return "could not be reached";
  return name;
}
