import type { PackedMessages } from "./i18n/packed.ts";

/** A widget waiting to be mounted: its host element, the API base and the URL embed.js was loaded from. */
export type MountRequest = [host: HTMLElement, api: string, base: string];

/**
 * What the scripts of one page share through one global: the loader queues hosts until the widget bundle
 * arrives and sets `mount`; language tables register themselves in `locales`.
 */
export interface Runtime {
  queue: MountRequest[];
  mount?: (...request: MountRequest) => void;
  locales?: Record<string, PackedMessages>;
}

/** The page's shared {@link Runtime} (created by whichever of our scripts runs first). */
export function runtime(): Runtime {
  const scope = globalThis as unknown as { __commentsWidget?: Runtime };
  return (scope.__commentsWidget ??= { queue: [] });
}

const loading = new Map<string, Promise<void>>();

/** Adds a script to the page once and resolves when it has run; a failed load can be tried again. */
export function loadScript(src: string): Promise<void> {
  let promise = loading.get(src);
  if (!promise) {
    promise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => {
        loading.delete(src);
        script.remove();
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    });
    loading.set(src, promise);
  }
  return promise;
}

/**
 * One language's table, loaded on demand from `assets/locale-<lang>.<version>.js` next to our scripts (`base` is
 * the URL of embed.js or count.js); null when it cannot be loaded. The values come packed (`unpackMessages`).
 */
export async function loadLocale(lang: string, base: string): Promise<PackedMessages | null> {
  const known = runtime().locales?.[lang];
  if (known) return known;
  try {
    await loadScript(new URL(`assets/locale-${lang}.${__LOCALE_VERSION__}.js`, base).href);
  } catch {
    return null;
  }
  return runtime().locales?.[lang] ?? null;
}
