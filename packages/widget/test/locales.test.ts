import { describe, expect, it } from "vitest";
import { messages as seed } from "@comments/core/errors";
import { createTranslator } from "../src/i18n/format.ts";
import { directionOf, languages, supportedLanguage } from "../src/i18n/languages.ts";
import { placeholdersOf, pluralCategories, pluralKeys, textKeys, type PluralText } from "../src/i18n/messages.ts";
import { packMessages, unpackMessages } from "../src/i18n/packed.ts";
import { en } from "../src/locales/en.ts";
import { localeTables } from "../src/locales/index.ts";

const rightToLeft = ["fa", "ps", "ar", "ur", "he"];

describe("the widget's languages", () => {
  it("speaks the 21 languages, right to left exactly for Persian, Pashto, Arabic, Urdu and Hebrew", () => {
    expect(Object.keys(localeTables).sort()).toEqual([...languages].sort());
    expect(languages).toHaveLength(21);
    expect(languages.filter((lang) => directionOf(lang) === "rtl").sort()).toEqual([...rightToLeft].sort());
  });

  it.each(languages.map((lang) => [lang]))("%s has every key and no other", (lang) => {
    expect(Object.keys(localeTables[lang]).sort()).toEqual([...textKeys, ...pluralKeys].sort());
  });

  it.each(languages.map((lang) => [lang]))("%s uses exactly English's placeholders in every text", (lang) => {
    const table = localeTables[lang];
    for (const key of textKeys) expect({ key, placeholders: placeholdersOf(table[key]) }).toEqual({ key, placeholders: placeholdersOf(en[key]) });
    // A plural form may spell its number out ("تعليق واحد", "שתי תגובות"), but never uses another placeholder.
    for (const key of pluralKeys) {
      for (const form of Object.values(table[key])) expect(placeholdersOf(form).filter((name) => name !== "n")).toEqual([]);
      expect(placeholdersOf(table[key].other)).toEqual(["n"]);
    }
  });

  it.each(languages.map((lang) => [lang]))("%s has a form for every plural category Intl.PluralRules uses for it, and only real categories", (lang) => {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const key of pluralKeys) {
      const forms: PluralText = localeTables[lang][key];
      for (const category of needed) expect({ key, category, form: forms[category] }).toEqual({ key, category, form: expect.any(String) });
      for (const category of Object.keys(forms)) expect(pluralCategories).toContain(category);
    }
  });

  it("gives Arabic all six plural forms", () => {
    const t = createTranslator("ar", "rtl", localeTables.ar);
    const shown = [0, 1, 2, 3, 11, 100].map((n) => t.plural("heading", n));
    expect(new Set(shown).size).toBe(6);
    expect(shown[1]).toBe("تعليق واحد");
  });

  it("keeps the original comment box's four messages word for word in English", () => {
    expect(en.bodyEmpty).toBe("Please enter your comment!");
    expect(en.nameEmpty).toBe("Please enter your name here");
    expect(en["error.captcha_failed"]).toBe("Captcha verification failed!");
    expect(en["error.captcha_score_too_low"]).toBe("CAPTCHA user score failed. Please contact us!");
    expect([en.bodyEmpty, en.nameEmpty, en["error.captcha_failed"], en["error.captcha_score_too_low"]]).toEqual([
      seed.bodyEmpty,
      seed.nameEmpty,
      seed.captchaFailed,
      seed.captchaScoreTooLow,
    ]);
  });

  it("translates every text: no other language reuses an English sentence (a few words are the same)", () => {
    // "Link" is the word German, Italian, Dutch, Polish and Portuguese readers use too.
    const sameWord: Partial<Record<string, string[]>> = { de: ["name", "website", "link"], it: ["link"], nl: ["link"], pl: ["link"], pt: ["link"] };
    for (const lang of languages.filter((l) => l !== "en")) {
      const table = localeTables[lang];
      const same = textKeys.filter((key) => table[key] === en[key] && !sameWord[lang]?.includes(key));
      expect({ lang, same }).toEqual({ lang, same: [] });
    }
  });

  it("sends each table as an array in English's key order, heading first (count.js reads index 0), unchanged when unpacked", () => {
    expect(Object.keys(en)[0]).toBe("heading");
    for (const lang of languages) expect(unpackMessages(JSON.parse(JSON.stringify(packMessages(localeTables[lang]))))).toEqual(localeTables[lang]);
  });

  it("writes numbers as the language does (Persian and Pashto digits)", () => {
    expect(createTranslator("fa", "rtl", localeTables.fa).plural("heading", 12)).toBe("۱۲ دیدگاه");
    expect(createTranslator("ps", "rtl", localeTables.ps).plural("heading", 3)).toBe("۳ تبصرې");
    expect(createTranslator("en", "ltr", en).plural("heading", 1234)).toBe("1,234 comments");
    expect(createTranslator("en", "ltr", en).plural("heading", 1)).toBe("1 comment");
    expect(createTranslator("ru", "ltr", localeTables.ru).plural("heading", 5)).toBe("5 комментариев");
  });

  it("chooses the language from a BCP 47 tag, Dari as Persian, and nothing for a language it does not speak", () => {
    expect(supportedLanguage("fa-AF")).toBe("fa");
    expect(supportedLanguage("prs")).toBe("fa");
    expect(supportedLanguage("ps-AF")).toBe("ps");
    expect(supportedLanguage("pt-BR")).toBe("pt");
    expect(supportedLanguage("zh-Hans-CN")).toBe("zh");
    expect(supportedLanguage("sw")).toBeNull();
    expect(supportedLanguage("")).toBeNull();
    expect(supportedLanguage(null)).toBeNull();
  });
});
