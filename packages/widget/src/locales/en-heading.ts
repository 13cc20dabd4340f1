import type { PluralText } from "../i18n/messages.ts";

/** "N comments" in English, apart from the table so count.js carries only this line of it. */
export const englishHeading: PluralText = { one: "{n} comment", other: "{n} comments" };
