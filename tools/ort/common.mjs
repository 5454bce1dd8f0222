// Shared helpers for run.mjs and bench.mjs.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NpyError } from './npy.mjs';

/** Bad command line, missing file, or inputs that do not fit the model: exit code 2. */
export class UsageError extends Error {}

const OPT_LEVELS = { all: 'all', basic: 'basic', disable: 'disabled' };

/** parseArgs with exactly one positional (the model) and usage errors mapped to UsageError. */
export function parseCli(usage, options) {
  let parsed;
  try {
    parsed = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${e.message}\n${usage}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (parsed.positionals.length !== 1) throw new UsageError(`expected exactly one MODEL.onnx argument\n${usage}`);
  const model = parsed.positionals[0];
  requireFile(model, 'model');
  return { model, ...parsed.values };
}

export function requireFile(path, what) {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${what} file not found: ${path}`);
}

export function positiveInt(value, flag) {
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`${flag} must be a positive integer, got '${value}'`);
  return Number(value);
}

export async function loadOrt() {
  try {
    return await import('onnxruntime-node');
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node (${e.message}); run: cd tools/ort && ONNXRUNTIME_NODE_INSTALL=skip npm ci`);
  }
}

/** Creates a CPU inference session; threads/opt come straight from the command line. */
export async function createSession(ort, model, { threads, opt }) {
  const level = OPT_LEVELS[opt ?? 'all'];
  if (!level) throw new UsageError(`--opt must be one of ${Object.keys(OPT_LEVELS).join('|')}, got '${opt}'`);
  const options = { executionProviders: ['cpu'], graphOptimizationLevel: level, interOpNumThreads: 1 };
  if (threads !== undefined) options.intraOpNumThreads = positiveInt(threads, '--threads');
  try {
    return await ort.InferenceSession.create(model, options);
  } catch (e) {
    throw new Error(`cannot load model ${model}: ${e.message}`);
  }
}

/** Runs main(); prints errors as "<tool>: error: ..." and exits 2 for usage errors, 1 otherwise. */
export function runMain(tool, main) {
  main().catch((e) => {
    const usage = e instanceof UsageError || e instanceof NpyError;
    process.stderr.write(`${tool}: error: ${e?.message ?? e}\n`);
    process.exitCode = usage ? 2 : 1;
  });
}
