// Minimal .npy (NumPy format 1.0/2.0/3.0) reader and writer: little-endian, C order.
import { readFileSync, writeFileSync } from 'node:fs';

// npy descr -> ONNX Runtime tensor type and the typed array that holds its data.
// float16 is kept as raw Uint16Array bits; bool as one byte per element.
const DESCRS = {
  '<f4': ['float32', Float32Array],
  '<f8': ['float64', Float64Array],
  '<f2': ['float16', Uint16Array],
  '<i8': ['int64', BigInt64Array],
  '<i4': ['int32', Int32Array],
  '<i2': ['int16', Int16Array],
  '|i1': ['int8', Int8Array],
  '<u8': ['uint64', BigUint64Array],
  '<u4': ['uint32', Uint32Array],
  '<u2': ['uint16', Uint16Array],
  '|u1': ['uint8', Uint8Array],
  '<u1': ['uint8', Uint8Array],
  '|b1': ['bool', Uint8Array],
};
const DESCR_OF_TYPE = Object.fromEntries(
  Object.entries(DESCRS).filter(([d]) => d !== '<u1').map(([d, [t]]) => [t, d]));
/** ORT tensor type name -> typed array constructor, for every type .npy files can hold. */
export const ARRAY_OF_TYPE = Object.fromEntries(Object.values(DESCRS));
const MAGIC = Buffer.from('\x93NUMPY', 'latin1');

export class NpyError extends Error {}

export const numel = (shape) => shape.reduce((a, b) => a * b, 1);

/** Reads a .npy file into { type, shape, data } where type is an ORT tensor type name. */
export function readNpy(path) {
  const buf = readFileSync(path);
  const fail = (msg) => { throw new NpyError(`${path}: ${msg}`); };
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) fail('not a .npy file (bad magic)');
  const major = buf[6];
  if (![1, 2, 3].includes(major)) fail(`unsupported .npy format version ${major}.${buf[7]}`);
  const lenSize = major === 1 ? 2 : 4;
  const headerLen = lenSize === 2 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const dataStart = 8 + lenSize + headerLen;
  if (dataStart > buf.length) fail('truncated header');
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', 8 + lenSize, dataStart);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(`malformed header: ${header.trim()}`);
  if (fortran === 'True') fail('Fortran-order arrays are not supported; save a C-contiguous array (np.ascontiguousarray)');
  const entry = DESCRS[descr];
  if (!entry) fail(`unsupported dtype '${descr}' (supported: ${Object.keys(DESCRS).join(', ')})`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`bad shape (${shapeText})`);

  const [type, Ctor] = entry;
  const count = numel(shape);
  const nbytes = count * Ctor.BYTES_PER_ELEMENT;
  if (buf.length - dataStart !== nbytes) {
    fail(`data size ${buf.length - dataStart} bytes does not match shape [${shape}] of ${descr} (${nbytes} bytes)`);
  }
  // Copy into a fresh, aligned ArrayBuffer.
  const bytes = new Uint8Array(nbytes);
  buf.copy(bytes, 0, dataStart);
  return { type, shape, data: new Ctor(bytes.buffer, 0, count) };
}

/** Writes { type, shape, data } (ORT tensor type name) to a .npy file (version 1.0, or 2.0 for huge headers). */
export function writeNpy(path, { type, shape, data }) {
  const descr = DESCR_OF_TYPE[type];
  if (!descr) throw new NpyError(`${path}: cannot write tensor type '${type}' to .npy`);
  const dims = shape.map(Number);
  const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const lenSize = header.length + 65 <= 0xffff ? 2 : 4;
  const pre = 6 + 2 + lenSize;
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';

  const head = Buffer.alloc(pre);
  MAGIC.copy(head);
  head[6] = lenSize === 2 ? 1 : 2;
  head[7] = 0;
  if (lenSize === 2) head.writeUInt16LE(header.length, 8); else head.writeUInt32LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (body.length !== numel(dims) * DESCRS[descr][1].BYTES_PER_ELEMENT) {
    throw new NpyError(`${path}: data length does not match shape [${dims}]`);
  }
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}
