// @ts-check
// The page facts: the extractor (content/) injected into the tab on demand.

import { api } from "../shared/browser.js";
import { EXTRACTOR_FILES } from "../content/files.js";

/**
 * Run the extractor in the tab and return its result. Its files are classic scripts (a
 * `files:` injection cannot import ES modules), injected in order into the isolated
 * world; the result is the value of the last one, content/extract.js.
 */
export async function readPageFacts(tabId) {
  const [res] = await api.scripting.executeScript({ target: { tabId }, files: EXTRACTOR_FILES });
  return res?.result ?? null;
}
