/**
 * The widget bundle (`assets/widget.<hash>.js`), loaded by embed.js when a comment box comes near the screen: mounts
 * every host the loader queued and every one it hands over later.
 */
import { runtime } from "../runtime.ts";
import { mountWidget } from "./widget.ts";

const shared = runtime();
shared.mount = mountWidget;
for (const request of shared.queue.splice(0)) mountWidget(...request);
