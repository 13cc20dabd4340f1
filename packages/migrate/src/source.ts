import type { CommentStatus, FlagReason } from "@comments/core";

/** A comment as a source file describes it, before it becomes one of ours. */
export interface SourceComment {
  /** Identity in the source (for example `wordpress:https://blog.example#42`); seeds our stable id. */
  sourceId: string;
  /** Our id, when the source already has one (our own JSON export). */
  id?: string;
  threadId: string;
  parentSourceId: string | null;
  author: { name: string; email: string | null; url: string | null };
  /** ISO 8601 date, or null when the source has none that can be read. */
  createdAt: string | null;
  /** The text: HTML from another system (converted, never trusted), our own Markdown-subset body, or erased. */
  content: { html: string; preserveNewlines: boolean } | { text: string } | { erased: true };
  status: CommentStatus;
  /** Why it is pending or spam, in words a moderator reads. */
  details: string[];
  /** Moderation state carried over from our own export. */
  extra?: {
    reasons?: string[];
    captchaScore?: number | null;
    flags?: number;
    flagReasons?: Partial<Record<FlagReason, number>>;
    queuedAt?: string | null;
    decidedBy?: string | null;
  };
}

/** What a source reader yields. */
export type SourceEvent =
  | { kind: "comment"; comment: SourceComment }
  /** Something not imported, with the reason shown in the summary; its replies are imported without it. */
  | { kind: "skip"; reason: string; sourceId?: string; threadId?: string }
  /** Replies never point across this mark (end of a WordPress post, end of a thread in our JSON). */
  | { kind: "scope-end" };

/** The formats `npm run import` reads. */
export type SourceFormat = "wordpress" | "disqus" | "json";
