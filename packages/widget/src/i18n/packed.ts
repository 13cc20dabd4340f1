import { pluralKeys, textKeys, type Messages, type PluralText } from "./messages.ts";

/**
 * The order a language table's values travel in: `assets/locale-<lang>.js` registers an array, so no key name
 * crosses the network 21 times (the widget knows the keys). Plural keys first: `heading` is at index 0.
 */
export const messageKeys = [...pluralKeys, ...textKeys] as const;

/** A language table as its script registers it: the values in {@link messageKeys} order. */
export type PackedMessages = (string | PluralText)[];

/** A table as its script carries it (the build). */
export const packMessages = (messages: Messages): PackedMessages => messageKeys.map((key) => messages[key]);

/** A table from its script's array (the widget). */
export const unpackMessages = (values: PackedMessages): Messages => Object.fromEntries(messageKeys.map((key, i) => [key, values[i]])) as Messages;
