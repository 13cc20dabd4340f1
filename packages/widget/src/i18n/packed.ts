import { en } from "../locales/en.ts";
import type { Messages, PluralText } from "./messages.ts";

/**
 * The order a language table's values travel in: `assets/locale-<lang>.js` registers an array, so no key name
 * crosses the network 21 times. The order is English's own (the widget bundles English anyway); `heading`
 * comes first, which count.js relies on (the widget's locale tests check both).
 */
const keyOrder = () => Object.keys(en) as (keyof Messages)[];

/** A language table as its script registers it: the values in English's key order. */
export type PackedMessages = (string | PluralText)[];

/** A table as its script carries it (the build). */
export const packMessages = (messages: Messages): PackedMessages => keyOrder().map((key) => messages[key]);

/** A table from its script's array (the widget). */
export const unpackMessages = (values: PackedMessages): Messages => Object.fromEntries(keyOrder().map((key, i) => [key, values[i]])) as Messages;
