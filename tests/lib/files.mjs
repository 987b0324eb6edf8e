// Small, real files for attachment tests, built by hand (no dependencies).
import { deflateSync, inflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid RGB PNG of `width` x `height` with a diagonal gradient seeded by `seed`. */
export function png(width, height, seed = 0) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 4 + seed) & 0xff;
      raw[row + 2 + x * 3] = (y * 4 + seed * 3) & 0xff;
      raw[row + 3 + x * 3] = ((x + y) * 2 + seed * 7) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a line of text, built by hand (xref offsets computed). */
export function minimalPdf(text) {
  const objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    null,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const stream = `BT /F1 24 Tf 72 760 Td (${text}) Tj ET`;
  objs[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = "%PDF-1.4\n";
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** A short WAV file (silence), so that an audio attachment is a real recording. */
export function wav(seconds = 1, rate = 8000) {
  const samples = seconds * rate;
  const b = Buffer.alloc(44 + samples);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(36 + samples, 4);
  b.write("WAVEfmt ", 8, "latin1");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate, 28);
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write("data", 36, "latin1");
  b.writeUInt32LE(samples, 40);
  b.fill(128, 44);
  return b;
}

/**
 * Decode an 8-bit, non-interlaced RGB or RGBA PNG (what browsers' screenshots are) to
 * {width, height, rgb} (alpha dropped). Throws on anything else.
 * @param {Buffer} buf
 */
export function decodePng(buf) {
  let off = 8;
  let width = 0, height = 0, type = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const kind = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (kind === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0 || (data[9] !== 2 && data[9] !== 6)) throw new Error(`unsupported PNG (depth ${data[8]}, type ${data[9]}, interlace ${data[12]})`);
      type = data[9];
    } else if (kind === "IDAT") idat.push(data);
    off += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = v & 0xff;
    }
  }
  if (bpp === 3) return { width, height, rgb: out };
  const rgb = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) out.copy(rgb, p * 3, p * 4, p * 4 + 3);
  return { width, height, rgb };
}

/** Parse a binary PPM (P6, maxval 255) into {width, height, rgb}. */
export function parsePpm(buf) {
  const header = buf.toString("latin1", 0, 64).match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error("not a P6 PPM");
  return { width: Number(header[1]), height: Number(header[2]), rgb: buf.subarray(header[0].length) };
}

/**
 * A JPEG header whose APP1 segment holds EXIF Make, Model and DateTimeOriginal
 * ("YYYY:MM:DD HH:MM:SS"), as a phone writes them (big-endian TIFF, the date in the Exif
 * sub-IFD), then `tail` bytes of (not decodable) image data. Strings must be over 3 bytes.
 */
export function jpegWithExif({ make, model, taken, tail = 2048 }) {
  const z = (s) => Buffer.concat([Buffer.from(s, "latin1"), Buffer.from([0])]);
  const [mk, md, tk] = [z(make), z(model), z(taken)];
  const data0 = 8 + 2 + 3 * 12 + 4;
  const modelAt = data0 + mk.length;
  const exifIfd = modelAt + md.length;
  const dtoAt = exifIfd + 2 + 12 + 4;
  const parts = [Buffer.from("MM\0\x2a\0\0\0\x08", "latin1")];
  const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  const entry = (tag, type, count, value) => parts.push(u16(tag), u16(type), u32(count), u32(value));
  parts.push(u16(3));
  entry(0x010f, 2, mk.length, data0);
  entry(0x0110, 2, md.length, modelAt);
  entry(0x8769, 4, 1, exifIfd);
  parts.push(u32(0), mk, md, u16(1));
  entry(0x9003, 2, tk.length, dtoAt);
  parts.push(u32(0), tk);
  const app1 = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), ...parts]);
  const body = Buffer.alloc(tail);
  for (let i = 0; i < tail; i++) body[i] = (i * 31 + 7) & 0x7f;
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), u16(app1.length + 2), app1, body, Buffer.from([0xff, 0xd9])]);
}

/** A ZIP of `files` ([name, Buffer]) with stored entries, as a phone's share sheet writes one. */
export function storedZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const n = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(head, n, data);
    centrals.push(cd, n);
    offset += head.length + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
