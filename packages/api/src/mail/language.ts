/**
 * The language a comment is written in, as far as mails need it: Persian when Arabic-script letters outnumber
 * Latin ones, else English (the two languages mails have tables for; others read English).
 */
export function commentLanguage(body: string): string {
  const arabicScript = body.match(/\p{Script=Arabic}/gu)?.length ?? 0;
  const latin = body.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return arabicScript > latin ? "fa" : "en";
}
