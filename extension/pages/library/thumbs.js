// @ts-check
// Timeline thumbnails. A screenshot is a full-resolution PNG (often 2560 x 1600): drawing
// fifty of them at thumbnail size would decode hundreds of megabytes. Each is instead
// scaled down once, when its row first scrolls into view, and the small WebP is cached
// in the "thumbs" store (a disposable cache: never evidence, never exported).
import { getBlob } from "../../store/ledger.js";
import { getThumb, putThumb } from "../../store/thumbs.js";

const WIDTH = 240;
const urls = new WeakMap(); // img -> object URL
let observer = null;
let running = 0;
const queue = [];

/** Start loading thumbnails for the rows of `list` as they become visible. */
export function observeThumbs(list) {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        observer.unobserve(e.target);
        queue.push(e.target);
      }
      pump();
    },
    { rootMargin: "400px 0px" },
  );
  for (const box of list.querySelectorAll(".thumb-box[data-sha]:not([data-state])")) {
    box.dataset.state = "waiting";
    observer.observe(box);
  }
}

/** Free the object URLs of thumbnails in `list` (before its rows are replaced). */
export function releaseThumbs(list) {
  for (const img of list.querySelectorAll("img.thumb")) {
    const url = urls.get(img);
    if (url) URL.revokeObjectURL(url);
  }
  if (observer) for (const box of list.querySelectorAll(".thumb-box[data-state=waiting]")) observer.unobserve(box);
}

function pump() {
  while (running < 2 && queue.length) {
    const box = queue.shift();
    if (!box.isConnected) continue;
    running++;
    // One image that never decodes must not hold up the others.
    Promise.race([load(box), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), 15_000))])
      // A thumbnail is a disposable preview, not evidence: the item view shows the image itself.
      .catch(() => {
        box.dataset.state = "failed";
      })
      .finally(() => {
        running--;
        pump();
      });
  }
}

async function load(box) {
  const sha = box.dataset.sha;
  let thumb = await getThumb(sha);
  if (!thumb) {
    const source = await getBlob(sha);
    if (!source) {
      box.dataset.state = "missing";
      box.textContent = "Image missing";
      return;
    }
    thumb = await makeThumb(sha, source);
    putThumb(thumb).catch(() => {}); // only a cache: it is made again next time
  }
  if (!box.isConnected) return;
  const url = URL.createObjectURL(thumb.blob);
  const img = document.createElement("img");
  img.className = "thumb";
  img.alt = "";
  img.width = thumb.width;
  img.height = thumb.height;
  img.src = url;
  urls.set(img, url);
  box.replaceChildren(img);
  box.dataset.state = "shown";
}

async function makeThumb(sha256, source) {
  const bmp = await createImageBitmap(source, { resizeWidth: WIDTH, resizeQuality: "medium" });
  try {
    const canvas = new OffscreenCanvas(bmp.width, bmp.height);
    canvas.getContext("2d").drawImage(bmp, 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/webp", quality: 0.8 });
    return { sha256, blob, width: bmp.width, height: bmp.height };
  } finally {
    bmp.close();
  }
}
