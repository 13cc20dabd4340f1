import type { Language } from "../i18n/languages.ts";
import type { Messages } from "../i18n/messages.ts";
import { ar } from "./ar.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { es } from "./es.ts";
import { fa } from "./fa.ts";
import { fr } from "./fr.ts";
import { he } from "./he.ts";
import { hi } from "./hi.ts";
import { id } from "./id.ts";
import { it } from "./it.ts";
import { ja } from "./ja.ts";
import { ko } from "./ko.ts";
import { nl } from "./nl.ts";
import { pl } from "./pl.ts";
import { ps } from "./ps.ts";
import { pt } from "./pt.ts";
import { ru } from "./ru.ts";
import { tr } from "./tr.ts";
import { uk } from "./uk.ts";
import { ur } from "./ur.ts";
import { zh } from "./zh.ts";

/**
 * Every language's table, for the build (one small script per language) and the tests. The widget bundle
 * itself imports only English.
 */
export const localeTables: Record<Language, Messages> = { en, fa, ps, ar, ur, he, es, fr, de, pt, ru, tr, uk, zh, ja, ko, hi, id, it, nl, pl };
