// @ts-check
// Ask the browser to keep the evidence even when the disk fills up, and say whether it agreed.
export {}; // a module (top-level await below); it exports nothing
const el = document.getElementById("persist-status");
// A refused or failed request is shown as "not agreed" below, which is what it means.
const granted = await navigator.storage?.persist?.().catch(() => false);
el.className = `status ${granted ? "ok" : "warn"}`;
el.textContent = granted
  ? "This browser has agreed to keep the stored evidence even when the disk is nearly full."
  : "This browser has not agreed to keep the stored evidence when the disk is nearly full. Export regularly.";

// Restore on a fresh install (the same control as the library's).
const { mountRestore } = await import("../library/restore-ui.js");
const slot = document.getElementById("restore-slot");
if (slot) mountRestore(slot);
