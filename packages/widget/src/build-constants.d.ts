/** Set by the build (esbuild `define`): the widget bundle's file name, next to embed.js (`assets/widget.<hash>.js`). */
declare const __WIDGET_FILE__: string;
/** Set by the build: the content hash shared by the language tables (`assets/locale-<lang>.<hash>.js`). */
declare const __LOCALE_VERSION__: string;
