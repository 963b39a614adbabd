import { open, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

/*
 * IDX files, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a magic
 * number (two zero bytes, a type code, the number of dimensions), each dimension's size as a
 * big-endian uint32, then the data, row-major. Only unsigned bytes (type 0x08) are read here.
 * Files may be gzipped, as they are distributed; they are recognised by their first two bytes.
 */

/** What one IDX file must hold: `count` items of `itemShape` unsigned bytes each. */
export interface IdxExpectation {
  /** What the items are, for messages: "images", "labels". */
  readonly items: string;
  readonly count: number;
  /** Sizes of the dimensions after the first: [28, 28] for images, [] for labels. */
  readonly itemShape: readonly number[];
}

const UNSIGNED_BYTE = 0x08;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** The magic number a file of `expected` must start with. */
export function idxMagic(expected: IdxExpectation): number {
  return (UNSIGNED_BYTE << 8) | (expected.itemShape.length + 1);
}

/** Header bytes: the magic number and one uint32 per dimension. */
export function idxHeaderBytes(expected: IdxExpectation): number {
  return 4 * (expected.itemShape.length + 2);
}

/** The exact size of a file of `expected`, uncompressed. */
export function idxFileBytes(expected: IdxExpectation): number {
  return idxHeaderBytes(expected) + expected.count * itemBytes(expected);
}

const itemBytes = (expected: IdxExpectation) =>
  expected.itemShape.reduce((product, size) => product * size, 1);

const count = (n: number) => n.toLocaleString("en");
const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

function describeMagic(magic: number): string {
  const type = (magic >>> 8) & 0xff;
  const dimensions = magic & 0xff;
  if (magic >>> 16 !== 0) return "not an IDX file";
  const typeName = type === UNSIGNED_BYTE ? "unsigned bytes" : `type code 0x${type.toString(16)}`;
  return `${typeName}, ${dimensions} dimension${dimensions === 1 ? "" : "s"}`;
}

/**
 * What is wrong with `bytes` (an uncompressed IDX file) as a file of `expected`, or null when it
 * is one: a wrong magic number, item count or item shape, or a size that disagrees with them.
 */
export function idxProblem(bytes: Uint8Array, expected: IdxExpectation): string | null {
  const header = idxHeaderBytes(expected);
  if (bytes.length < 4) return `${count(bytes.length)} bytes, too short for an IDX header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const wanted = idxMagic(expected);
  if (magic !== wanted) {
    return `magic number ${hex(magic)} (${describeMagic(magic)}), expected ${hex(wanted)} (${describeMagic(wanted)}: ${expected.items})`;
  }
  if (bytes.length < header) {
    return `${count(bytes.length)} bytes, too short for its ${header}-byte header`;
  }
  const found = view.getUint32(4);
  if (found !== expected.count) {
    return `holds ${count(found)} ${expected.items}, expected ${count(expected.count)}`;
  }
  const shape = expected.itemShape.map((_, i) => view.getUint32(8 + 4 * i));
  if (shape.some((size, i) => size !== expected.itemShape[i])) {
    return `${expected.items} of ${shape.join("x")}, expected ${expected.itemShape.join("x")}`;
  }
  const size = idxFileBytes(expected);
  if (bytes.length !== size) {
    const layout = `a ${header}-byte header and ${count(expected.count)} ${expected.items} of ${count(itemBytes(expected))} byte${itemBytes(expected) === 1 ? "" : "s"}`;
    const verdict = bytes.length < size ? "truncated" : "trailing bytes";
    return `${count(bytes.length)} bytes, expected ${count(size)} (${layout}): ${verdict}`;
  }
  return null;
}

/**
 * Reads an IDX file, gunzipping it when it starts with the gzip magic number, and returns its
 * data (the bytes after the header). Throws an Error whose message says what is wrong with the
 * file, not where it is: the caller names the file.
 */
export async function readIdxData(path: string, expected: IdxExpectation): Promise<Uint8Array> {
  const stored = await readFile(path);
  let bytes: Uint8Array = stored;
  if (isGzip(stored)) {
    try {
      bytes = await promisify(gunzip)(stored);
    } catch (error) {
      throw new Error(`not valid gzip data (${(error as Error).message})`);
    }
  }
  const problem = idxProblem(bytes, expected);
  if (problem !== null) throw new Error(problem);
  return bytes.subarray(idxHeaderBytes(expected));
}

const isGzip = (bytes: Uint8Array) => bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];

/**
 * A cheap check for listings, reading at most the first and last few bytes: a plain file must
 * start with the magic number and have the exact size; a gzipped one must record the right
 * uncompressed size in its trailer (gzip's ISIZE, the size modulo 2^32), which a truncated or
 * different file all but never does. Null when the file passes; what is wrong otherwise.
 */
export async function checkIdxFile(path: string, expected: IdxExpectation): Promise<string | null> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 4));
    await handle.read(head, 0, head.length, 0);
    if (isGzip(head)) {
      if (size < 18) return `${count(size)} bytes, too short for a gzip file`;
      const trailer = Buffer.alloc(4);
      await handle.read(trailer, 0, 4, size - 4);
      const uncompressed = trailer.readUInt32LE(0);
      const wanted = idxFileBytes(expected) % 2 ** 32;
      return uncompressed === wanted
        ? null
        : `gzipped, ${count(uncompressed)} bytes uncompressed, expected ${count(wanted)}`;
    }
    if (head.length === 4) {
      const magic = head.readUInt32BE(0);
      if (magic !== idxMagic(expected)) {
        return `magic number ${hex(magic)} (${describeMagic(magic)}), expected ${hex(idxMagic(expected))}`;
      }
    }
    const wanted = idxFileBytes(expected);
    return size === wanted ? null : `${count(size)} bytes, expected ${count(wanted)}`;
  } finally {
    await handle.close();
  }
}
