// @ts-check
// The stitched image of a long capture (issue 11): the screens, cropped to the scroll
// container, laid end to end with their overlaps cut by the known scroll offsets. A
// convenience for reading (every screen is kept as its own artifact, and is the evidence);
// split into several PNGs under the canvas limits.

/** Chromium's canvas limits: 32,767 px a side and 268,435,456 pixels in all. */
export const MAX_SIDE = 32_767;
export const MAX_AREA = 268_435_456;
/** Each piece is kept to this height as well, so that one piece stays ~32 MB of RGBA at 1,024 px wide. */
export const PIECE_HEIGHT = 8_192;

/**
 * @param {{bytes: Uint8Array, scroll_y: number, container: {x: number, y: number, width: number, height: number}, device_pixel_ratio: number}[]} screens
 *   in sweep order (scroll offsets increasing).
 * @param {{maxSide?: number, maxArea?: number, pieceHeight?: number}} [limits]
 * @returns {Promise<{name: string, bytes: Uint8Array, width: number, height: number, content_y: number}[]>}
 */
export async function stitch(screens, limits = {}) {
  if (!screens.length || typeof OffscreenCanvas !== "function") return [];
  const first = screens[0];
  const dpr = first.device_pixel_ratio || 1;
  const c = first.container;
  const crop = { x: Math.round(c.x * dpr), y: Math.round(c.y * dpr), w: Math.round(c.width * dpr), h: Math.round(c.height * dpr) };
  if (crop.w <= 0 || crop.h <= 0) return [];
  // Each screen contributes the rows below what the previous one already covered.
  const slices = [];
  let covered = 0;
  for (const s of screens) {
    const top = Math.round((s.scroll_y - first.scroll_y) * dpr);
    const from = Math.max(top, covered);
    const to = top + crop.h;
    if (to > from) slices.push({ s, top, from, to });
    covered = Math.max(covered, to);
  }
  const total = covered;
  const maxSide = limits.maxSide ?? MAX_SIDE;
  const maxArea = limits.maxArea ?? MAX_AREA;
  const width = Math.min(crop.w, maxSide);
  const pieceH = Math.max(1, Math.min(maxSide, Math.floor(maxArea / width), limits.pieceHeight ?? PIECE_HEIGHT));
  const out = [];
  for (let start = 0, n = 1; start < total; start += pieceH, n++) {
    const h = Math.min(pieceH, total - start);
    const canvas = new OffscreenCanvas(width, h);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas for the stitched image");
    for (const { s, top, from, to } of slices) {
      const a = Math.max(from, start), b = Math.min(to, start + h);
      if (b <= a) continue;
      const bmp = await createImageBitmap(new Blob([/** @type {BlobPart} */ (/** @type {unknown} */ (s.bytes))], { type: "image/png" }));
      try {
        ctx.drawImage(bmp, crop.x, crop.y + (a - top), width, b - a, 0, a - start, width, b - a);
      } finally {
        bmp.close();
      }
    }
    const blob = await canvas.convertToBlob({ type: "image/png" });
    out.push({ name: `stitched-${String(n).padStart(2, "0")}.png`, bytes: new Uint8Array(await blob.arrayBuffer()), width, height: h, content_y: start / dpr });
  }
  return out;
}
