// node --test tools/ort/  (needs no onnxruntime)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ARRAY_OF_TYPE, NpyError, readNpy, writeNpy } from './npy.mjs';

const dir = mkdtempSync(join(tmpdir(), 'npy-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('round-trips every supported type, including scalars and empty arrays', () => {
  const shapes = [[2, 3], [], [4], [0, 5]];
  Object.entries(ARRAY_OF_TYPE).forEach(([type, Ctor], k) => {
    const shape = shapes[k % shapes.length];
    const n = shape.reduce((a, b) => a * b, 1);
    const big = Ctor === BigInt64Array || Ctor === BigUint64Array;
    const data = Ctor.from({ length: n }, (_, i) => (big ? BigInt(i * 7) : (i * 7) % 100));
    const path = join(dir, `${type}.npy`);
    writeNpy(path, { type, shape, data });
    const bytes = readFileSync(path);
    assert.equal((10 + bytes.readUInt16LE(8)) % 64, 0, 'header padded to 64 bytes');
    assert.deepEqual(readNpy(path), { type, shape, data });
  });
});

test('reads format 2.0 headers', () => {
  const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }".padEnd(51, ' ') + '\n';
  const head = Buffer.from('\x93NUMPY\x02\x00\x00\x00\x00\x00', 'latin1');
  head.writeUInt32LE(header.length, 8);
  const path = join(dir, 'v2.npy');
  writeFileSync(path, Buffer.concat([head, Buffer.from(header), Buffer.from(new Int32Array([1, -2, 3]).buffer)]));
  assert.deepEqual(readNpy(path), { type: 'int32', shape: [3], data: new Int32Array([1, -2, 3]) });
});

test('rejects Fortran order, big-endian data, bad sizes and non-npy files', () => {
  const npy = (header, body) => {
    const h = header.padEnd(117, ' ') + '\n';
    const head = Buffer.from('\x93NUMPY\x01\x00\x00\x00', 'latin1');
    head.writeUInt16LE(h.length, 8);
    const path = join(dir, 'bad.npy');
    writeFileSync(path, Buffer.concat([head, Buffer.from(h), body]));
    return path;
  };
  const f4 = Buffer.alloc(8);
  assert.throws(() => readNpy(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", f4)), /Fortran/);
  assert.throws(() => readNpy(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4)), /unsupported dtype '>f4'/);
  assert.throws(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", f4)), /does not match/);
  const text = join(dir, 'text.npy');
  writeFileSync(text, 'hello world, not numpy');
  assert.throws(() => readNpy(text), NpyError);
});
