#!/usr/bin/env node
// Speed benchmark: runs an ONNX model in ONNX Runtime (CPU) on random inputs for a fixed time and prints JSON.
import { performance } from 'node:perf_hooks';
import { createSession, loadOrt, parseCli, positiveInt, runMain, UsageError } from './common.mjs';
import { ARRAY_OF_TYPE, numel } from './npy.mjs';

const USAGE = `usage: node tools/ort/bench.mjs MODEL.onnx [--batch N] [--threads T] [--seconds S]
                             [--opt all|basic|disable] [--warmup K] [--dim SYMBOL=SIZE ...]
Random inputs: a symbolic leading dimension becomes N (default 1), other symbolic dimensions 1
unless set by name with --dim. Float inputs are uniform in [0, 1), integer and bool inputs zero.
Defaults: --threads 1, --seconds 5, --warmup 3. Prints one JSON object.`;

function parseDims(specs) {
  const dims = new Map();
  for (const spec of specs) {
    const m = /^(.+)=([1-9][0-9]*)$/.exec(spec);
    if (!m) throw new UsageError(`--dim expects SYMBOL=SIZE with a positive SIZE, got '${spec}'`);
    dims.set(m[1], Number(m[2]));
  }
  return dims;
}

/** Concrete shape: fixed dims kept, --dim symbols applied, symbolic leading dim = batch, other symbolic dims 1. */
function resolveShape(meta, batch, dims, used) {
  return meta.shape.map((d, i) => {
    if (typeof d === 'number' && d >= 0) return d;
    if (dims.has(d)) {
      used.add(d);
      return dims.get(d);
    }
    return i === 0 ? batch : 1;
  });
}

function randomData(type, count) {
  if (type === 'float32') return Float32Array.from({ length: count }, Math.random);
  if (type === 'float64') return Float64Array.from({ length: count }, Math.random);
  // float16 bit patterns of random values in [0.5, 1)
  if (type === 'float16') return Uint16Array.from({ length: count }, () => 0x3800 | Math.floor(Math.random() * 1024));
  const Ctor = ARRAY_OF_TYPE[type];
  if (!Ctor) throw new UsageError(`cannot make random data for input type '${type}'`);
  return new Ctor(count);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (x, digits) => Number(x.toFixed(digits));

async function main() {
  const args = parseCli(USAGE, {
    batch: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    opt: { type: 'string' },
    dim: { type: 'string', multiple: true, default: [] },
  });
  const batch = positiveInt(args.batch, '--batch');
  const threads = positiveInt(args.threads, '--threads');
  const seconds = Number(args.seconds);
  if (!(seconds > 0)) throw new UsageError(`--seconds must be a positive number, got '${args.seconds}'`);
  if (!/^[0-9]+$/.test(args.warmup)) throw new UsageError(`--warmup must be a non-negative integer, got '${args.warmup}'`);
  const dims = parseDims(args.dim);

  const ort = await loadOrt();
  const session = await createSession(ort, args.model, args);
  const feeds = {};
  const shapes = {};
  const used = new Set();
  let batched = false;
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) throw new UsageError(`input '${meta.name}' is not a tensor`);
    const shape = resolveShape(meta, batch, dims, used);
    batched ||= shape.length > 0 && typeof meta.shape[0] !== 'number' && !dims.has(meta.shape[0]);
    feeds[meta.name] = new ort.Tensor(meta.type, randomData(meta.type, numel(shape)), shape);
    shapes[meta.name] = shape;
  }
  const unused = [...dims.keys()].filter((d) => !used.has(d));
  if (unused.length) throw new UsageError(`--dim names no symbolic input dimension: ${unused.join(', ')}`);
  if (batch !== 1 && !batched) {
    throw new UsageError(`--batch ${batch} given but no input has a symbolic leading dimension: ${JSON.stringify(shapes)}`);
  }

  for (let i = 0; i < Number(args.warmup); i++) await session.run(feeds);
  const latencies = [];
  const start = performance.now();
  while (latencies.length === 0 || performance.now() - start < seconds * 1000) {
    const t0 = performance.now();
    await session.run(feeds);
    latencies.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  await session.release();

  process.stdout.write(`${JSON.stringify({
    throughput_per_s: round((batch * latencies.length) / elapsed, 3),
    p50_ms: round(percentile(latencies, 50), 4),
    p90_ms: round(percentile(latencies, 90), 4),
    batch,
    threads,
    ort_version: ort.env.versions.node,
    opt: args.opt ?? 'all',
    runs: latencies.length,
    shapes,
  })}\n`);
}

runMain('bench.mjs', main);
