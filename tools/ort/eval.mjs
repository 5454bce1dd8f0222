#!/usr/bin/env node
// Classifier accuracy in ONNX Runtime: runs MODEL over preprocessed float32 inputs (.npy, batch first) in
// batches and prints {"samples", "top1", "top5"} as JSON, for comparison with `lowbit eval`.
import { createSession, loadOrt, parseCli, positiveInt, requireFile, runMain, UsageError } from './common.mjs';
import { readNpy } from './npy.mjs';

const USAGE = `usage: node tools/ort/eval.mjs MODEL.onnx --data X.npy --labels Y.npy [--batch N] [--threads N] [--opt all|basic|disable]`;

async function main() {
  const args = parseCli(USAGE, {
    data: { type: 'string' },
    labels: { type: 'string' },
    batch: { type: 'string' },
    threads: { type: 'string' },
    opt: { type: 'string' },
  });
  if (!args.data || !args.labels) throw new UsageError(`--data and --labels are required\n${USAGE}`);
  requireFile(args.data, '--data');
  requireFile(args.labels, '--labels');
  const x = readNpy(args.data);
  const y = readNpy(args.labels);
  if (x.type !== 'float32') throw new UsageError(`--data must be float32 (preprocessed), not ${x.type}`);
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new UsageError(`--labels has ${y.shape[0]} entries for ${n} samples`);
  const batch = args.batch ? positiveInt(args.batch, '--batch') : 256;
  const ort = await loadOrt();
  const session = await createSession(ort, args.model, args);
  const input = session.inputNames[0];
  const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
  let top1 = 0;
  let top5 = 0;
  for (let b = 0; b < n; b += batch) {
    const m = Math.min(batch, n - b);
    const feed = new ort.Tensor('float32', x.data.subarray(b * row, (b + m) * row), [m, ...x.shape.slice(1)]);
    const out = (await session.run({ [input]: feed }))[session.outputNames[0]];
    const classes = out.dims[out.dims.length - 1];
    for (let i = 0; i < m; i++) {
      const logits = out.data.subarray(i * classes, (i + 1) * classes);
      const label = Number(y.data[b + i]);
      const order = [...logits.keys()].sort((p, q) => logits[q] - logits[p] || p - q);
      if (order[0] === label) top1++;
      if (order.slice(0, 5).includes(label)) top5++;
    }
  }
  process.stdout.write(`${JSON.stringify({ samples: n, top1: (100 * top1) / n, top5: (100 * top5) / n })}\n`);
  await session.release();
}

runMain('eval.mjs', main);
