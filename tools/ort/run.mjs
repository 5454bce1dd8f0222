#!/usr/bin/env node
// Reference runner: runs an ONNX model in ONNX Runtime (CPU) on .npy inputs and writes every output as .npy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSession, loadOrt, parseCli, requireFile, runMain, UsageError } from './common.mjs';
import { readNpy, writeNpy } from './npy.mjs';

const USAGE = `usage: node tools/ort/run.mjs MODEL.onnx --input NAME=FILE.npy [--input ...] --out DIR
                           [--threads N] [--opt all|basic|disable]
Writes DIR/<output name>.npy for each model output (unsafe filename characters replaced by '_')
and DIR/outputs.json mapping output names to file names.`;

const sanitize = (name) => name.replace(/[^A-Za-z0-9._-]/g, '_');

function parseInputs(specs) {
  const inputs = new Map();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--input expects NAME=FILE.npy, got '${spec}'`);
    const name = spec.slice(0, eq);
    if (inputs.has(name)) throw new UsageError(`input '${name}' given twice`);
    requireFile(spec.slice(eq + 1), `input '${name}'`);
    inputs.set(name, spec.slice(eq + 1));
  }
  return inputs;
}

/** Checks an array read from .npy against the model's declared input type and shape. */
function checkInput(meta, name, path, arr) {
  if (!meta.isTensor) throw new UsageError(`input '${name}' is not a tensor input`);
  if (arr.type !== meta.type) {
    throw new UsageError(`input '${name}' (${path}): dtype ${arr.type} does not match the model's ${meta.type}`);
  }
  const want = meta.shape;
  const fits = want.length === 0 || (want.length === arr.shape.length
    && want.every((d, i) => typeof d !== 'number' || d < 0 || d === arr.shape[i]));
  if (!fits) {
    const model = want.map((d) => (d === '' ? '?' : d)).join(', ');
    throw new UsageError(`input '${name}' (${path}): shape [${arr.shape.join(', ')}] does not match the model's [${model}]`);
  }
}

async function main() {
  const args = parseCli(USAGE, {
    input: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
    threads: { type: 'string' },
    opt: { type: 'string' },
  });
  if (!args.out) throw new UsageError(`--out DIR is required\n${USAGE}`);
  const inputs = parseInputs(args.input);
  try {
    mkdirSync(args.out, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create output directory: ${e.message}`);
  }

  const ort = await loadOrt();
  const session = await createSession(ort, args.model, args);
  const metas = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const expected = `model inputs: ${[...metas.keys()].join(', ') || '(none)'}`;
  for (const name of inputs.keys()) {
    if (!metas.has(name)) throw new UsageError(`unknown input name '${name}'; ${expected}`);
  }
  const missing = [...metas.keys()].filter((n) => !inputs.has(n));
  if (missing.length) throw new UsageError(`missing --input for ${missing.join(', ')}; ${expected}`);

  const feeds = {};
  for (const [name, path] of inputs) {
    const arr = readNpy(path);
    checkInput(metas.get(name), name, path, arr);
    feeds[name] = new ort.Tensor(arr.type, arr.data, arr.shape);
  }

  const results = await session.run(feeds);
  const files = {};
  const used = new Set();
  for (const name of session.outputNames) {
    const tensor = results[name];
    if (!(tensor instanceof ort.Tensor)) throw new Error(`output '${name}' is not a tensor; only tensor outputs are supported`);
    let file = `${sanitize(name)}.npy`;
    for (let k = 1; used.has(file); k++) file = `${sanitize(name)}_${k}.npy`;
    used.add(file);
    writeNpy(join(args.out, file), { type: tensor.type, shape: tensor.dims, data: tensor.data });
    files[name] = file;
    process.stdout.write(`${name}: ${tensor.type} [${tensor.dims.join(', ')}] -> ${join(args.out, file)}\n`);
  }
  writeFileSync(join(args.out, 'outputs.json'), `${JSON.stringify(files, null, 2)}\n`);
  await session.release();
}

runMain('run.mjs', main);
