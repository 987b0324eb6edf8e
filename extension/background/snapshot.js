// The page snapshot source: MHTML (Chromium) or the DOM serialiser (Firefox).

import { api } from "../shared/browser.js";

/**
 * The page snapshot: MHTML where the browser has pageCapture (Chromium); elsewhere
 * (Firefox has no pageCapture) a single self-contained HTML file serialised from the live
 * DOM by a script in the page, with same-origin styles and images inlined.
 * Returns {bytes, mediaType, name, method}, the bytes already in memory.
 */
export async function captureSnapshot(tab) {
  if (api.pageCapture?.saveAsMHTML) {
    // Chromium backs this Blob with a temporary file that it may delete soon after
    // handing it over (reads then fail with NotFoundError), so copy it into memory at
    // once, retrying the snapshot if the file is already gone.
    for (let attempt = 0; ; attempt++) {
      const file = await api.pageCapture.saveAsMHTML({ tabId: tab.id });
      if (!file || file.size === 0) throw new Error("the browser returned an empty page snapshot");
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        return { bytes, mediaType: "multipart/related", name: "page.mhtml", method: "pageCapture.saveAsMHTML" };
      } catch (e) {
        if (e?.name !== "NotFoundError" || attempt >= 2) throw e;
      }
    }
  }
  const [res] = await api.scripting.executeScript({ target: { tabId: tab.id }, func: serialiseDom });
  if (typeof res?.result !== "string") throw new Error("the page could not be serialised");
  const bytes = new TextEncoder().encode(res.result);
  return { bytes, mediaType: "text/html", name: "page.html", method: "dom-serialisation (single HTML file, same-origin styles and images inlined)" };
}

/**
 * Runs IN THE PAGE (isolated world): a copy of the live DOM as one HTML file. Scripts
 * are dropped, form values kept, same-origin stylesheets inlined as <style>, loaded
 * same-origin images inlined as data: URLs (cross-origin ones keep their URL, since
 * reading them would need a network request), and a <base> keeps relative links working.
 */
function serialiseDom() {
  const clone = document.documentElement.cloneNode(true);
  // Pair live nodes with their copies (same document order) before changing the copy.
  const pairs = (sel) => {
    const a = document.documentElement.querySelectorAll(sel);
    const b = clone.querySelectorAll(sel);
    return a.length === b.length ? [...a].map((n, i) => [n, b[i]]) : [];
  };
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  for (const [img, copy] of pairs("img")) {
    copy.removeAttribute("srcset");
    copy.removeAttribute("loading");
    if (img.currentSrc) copy.setAttribute("src", img.currentSrc);
    try {
      if (!img.complete || !img.naturalWidth || img.naturalWidth * img.naturalHeight > 16e6) continue;
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      ctx.drawImage(img, 0, 0);
      copy.setAttribute("src", canvas.toDataURL("image/png")); // throws if cross-origin
    } catch {
      // Cross-origin image: keep its absolute URL.
    }
  }
  for (const [src, f] of pairs("input, textarea, select")) {
    if (f.tagName === "TEXTAREA") f.textContent = src.value;
    else if (f.tagName === "SELECT") [...f.options].forEach((o, j) => o.toggleAttribute("selected", !!src.options[j]?.selected));
    else if (src.type === "checkbox" || src.type === "radio") f.toggleAttribute("checked", src.checked);
    else if (src.type !== "password" && src.type !== "file") f.setAttribute("value", src.value);
  }
  const css = [];
  for (const [node, copy] of pairs('link[rel~="stylesheet"], style')) {
    try {
      const rules = node.sheet?.cssRules;
      if (!rules) continue;
      css.push([...rules].map((r) => r.cssText).join("\n"));
      copy.remove(); // inlined below, in the same order
    } catch {
      // Cross-origin stylesheet: its <link> stays.
    }
  }
  for (const s of clone.querySelectorAll("script, noscript")) s.remove();
  const head = clone.querySelector("head") ?? clone.insertBefore(document.createElement("head"), clone.firstChild);
  const style = document.createElement("style");
  style.textContent = css.join("\n");
  head.append(style);
  const base = document.createElement("base");
  base.href = document.baseURI;
  head.prepend(base);
  const note = `Saved by Evidence Capture from ${location.href} at ${new Date().toISOString()}. Scripts removed; same-origin styles and images inlined.`;
  return `<!DOCTYPE html>\n<!-- ${note.replace(/--/g, "- -")} -->\n${clone.outerHTML}`;
}
