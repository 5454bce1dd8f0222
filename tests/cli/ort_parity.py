#!/usr/bin/python3
"""Check that `lowbit run` gives the same outputs as ONNX Runtime (tools/ort/run.mjs).

usage: tests/cli/ort_parity.py --lowbit build/app/lowbit [--ort-dir tools/ort]
                               [--shape NAME=DxDxD ...] [--seed S] [--timeout SECONDS] MODEL.onnx ...

For each model it makes one fixed input, runs it through `lowbit run` and through
ONNX Runtime, and compares every output:

    pass if max|lowbit - ort| <= 1e-4 * max|ort| + 1e-6

(integer and bool outputs must be equal; NaN/Inf must sit at the same places). It
prints the max abs error and the max relative error (max abs error / max|ort|), and,
for classifiers, how often the argmax over the last axis agrees.

Inputs: the example Fashion-MNIST models (cnn, resnet, mobilenetv2, vit .onnx) get the
64-image sample examples/data/fashion_mnist_test_64.npy; every other model gets seeded
standard-normal data at its declared input shape. Symbolic dimensions come from
MODEL_TABLE below (keyed by file name), from --shape, or, for a leading (batch)
dimension only, default to 1.

Needs only /usr/bin/python3 with numpy, node, and tools/ort/node_modules
(cd tools/ort && ONNXRUNTIME_NODE_INSTALL=skip npm ci).
Exit status: 0 every output of every model passes, 1 a mismatch or a failed run,
2 bad arguments (missing files, bad --shape, unreadable model, no ONNX Runtime).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = REPO_ROOT / "examples" / "data" / "fashion_mnist_test_64.npy"
REL_TOL, ABS_TOL = 1e-4, 1e-6


@dataclass(frozen=True)
class ModelSpec:
    inputs: dict = field(default_factory=dict)  # input name -> shape tuple, or a .npy Path
    classifier: bool = False                    # report argmax agreement over the last axis


# Known models by file name. Shapes fix the symbolic dimensions of the declared input.
MODEL_TABLE = {
    "cnn.onnx": ModelSpec({"input": SAMPLE}, classifier=True),
    "resnet.onnx": ModelSpec({"input": SAMPLE}, classifier=True),
    "mobilenetv2.onnx": ModelSpec({"input": SAMPLE}, classifier=True),
    "vit.onnx": ModelSpec({"input": SAMPLE}, classifier=True),
    # scripts/fetch-pretrained.sh (see docs/MODELS.md)
    "paddleocr-cls-mobile-v2.0.onnx": ModelSpec({"x": (1, 3, 48, 192)}, classifier=True),
    "paddleocr-v4-det.onnx": ModelSpec({"x": (1, 3, 320, 320)}),
    "paddleocr-v4-rec.onnx": ModelSpec({"x": (1, 3, 48, 320)}, classifier=True),  # per time step
    "openwakeword-embedding.onnx": ModelSpec({"input_1": (1, 76, 32, 1)}),
}

# ONNX TensorProto.DataType -> numpy dtype (the types both runners read from .npy)
ONNX_DTYPES = {1: np.float32, 2: np.uint8, 3: np.int8, 4: np.uint16, 5: np.int16, 6: np.int32,
               7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64, 12: np.uint32, 13: np.uint64}


class UsageError(Exception):
    """Bad arguments or unusable files: exit status 2."""


# ------------------------------------------------------------ model inputs (protobuf)
# A minimal protobuf reader for the few ModelProto fields needed here, so that the
# script needs numpy only (no onnx package).

def _varint(buf: memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _fields(buf: memoryview):
    """Yields (field number, value) of one message; value is an int or a memoryview."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        if pos > len(buf):
            raise ValueError("truncated protobuf message")
        yield key >> 3, value


@dataclass
class InputInfo:
    name: str
    elem_type: int
    dims: list  # int for a fixed dimension, str for a symbolic one, None if unknown


def _submessages(buf: memoryview, number: int):
    return (value for field_number, value in _fields(buf) if field_number == number)


def _read_value_info(buf: memoryview) -> InputInfo:
    """ValueInfoProto: name (1), type (2) -> TypeProto.tensor_type (1) -> elem_type (1), shape (2)."""
    info = InputInfo("", 0, [])
    for field_number, value in _fields(buf):
        if field_number == 1:
            info.name = bytes(value).decode()
        elif field_number == 2:
            for tensor_type in _submessages(value, 1):
                for number, item in _fields(tensor_type):
                    if number == 1:
                        info.elem_type = item
                    elif number == 2:
                        info.dims = [_read_dim(dim) for dim in _submessages(item, 1)]
    return info


def _read_dim(buf: memoryview):
    """TensorShapeProto.Dimension: dim_value (1, int64) or dim_param (2, string); None if neither."""
    value = None
    for field_number, item in _fields(buf):
        if field_number == 1:
            value = item - (1 << 64) if item >= 1 << 63 else item
        elif field_number == 2:
            value = bytes(item).decode()
    return value


def read_model_inputs(path: Path) -> list[InputInfo]:
    """The graph inputs of an ONNX model that are not initializers, in declared order."""
    graphs = list(_submessages(memoryview(path.read_bytes()), 7))  # ModelProto.graph
    if not graphs:
        raise ValueError("no graph")
    initializers, inputs = set(), []
    for field_number, value in _fields(graphs[-1]):
        if field_number == 5:  # GraphProto.initializer -> TensorProto.name (8)
            initializers.update(bytes(name).decode() for name in _submessages(value, 8))
        elif field_number == 11:  # GraphProto.input
            inputs.append(_read_value_info(value))
    return [i for i in inputs if i.name not in initializers]


# --------------------------------------------------------------------- model input data

def make_inputs(model: Path, overrides: dict, seed: int) -> tuple[dict, str]:
    """{input name: array} for `model`, and a one-line description of the data."""
    try:
        declared = read_model_inputs(model)
    except (ValueError, IndexError, UnicodeDecodeError) as e:
        raise UsageError(f"{model}: cannot read the model's inputs: {e}") from None
    spec = MODEL_TABLE.get(model.name, ModelSpec())
    rng = np.random.default_rng(seed)
    arrays, notes = {}, []
    for info in declared:
        dtype = ONNX_DTYPES.get(info.elem_type)
        if dtype is None:
            raise UsageError(f"{model}: input '{info.name}' has ONNX element type {info.elem_type}, "
                             "which this script cannot make data for")
        given = overrides.get(info.name, spec.inputs.get(info.name))
        if isinstance(given, Path):
            arr = np.load(given)
            notes.append(f"{info.name}={given.name} {list(arr.shape)}")
        else:
            shape = resolve_shape(model, info, given)
            if np.issubdtype(dtype, np.floating):
                arr = rng.standard_normal(shape).astype(dtype)
                notes.append(f"{info.name}=normal(seed {seed}) {list(shape)}")
            else:  # integer / bool inputs: zeros (ids, masks); better given through the table
                arr = np.zeros(shape, dtype)
                notes.append(f"{info.name}=zeros {list(shape)}")
        if arr.dtype != dtype:
            raise UsageError(f"{model}: input '{info.name}' needs {np.dtype(dtype)}, got {arr.dtype}")
        arrays[info.name] = np.ascontiguousarray(arr)
    return arrays, ", ".join(notes)


def resolve_shape(model: Path, info: InputInfo, given) -> tuple:
    declared = "[" + ", ".join("?" if d is None else str(d) for d in info.dims) + "]"
    if given is not None:
        shape = tuple(given)
        if len(shape) != len(info.dims) or any(isinstance(d, int) and d >= 0 and d != s
                                               for d, s in zip(info.dims, shape)):
            raise UsageError(f"{model}: shape {list(shape)} for input '{info.name}' does not fit "
                             f"the declared {declared}")
        return shape
    shape = []
    for axis, d in enumerate(info.dims):
        if isinstance(d, int) and d >= 0:
            shape.append(d)
        elif axis == 0:
            shape.append(1)  # batch
        else:
            raise UsageError(f"{model}: input '{info.name}' {declared} has a symbolic dimension at "
                             f"axis {axis}; give its shape with --shape {info.name}=DxDx...")
    return tuple(shape)


def parse_shape_option(text: str) -> tuple[str, tuple]:
    name, eq, dims = text.partition("=")
    try:
        shape = tuple(int(d) for d in dims.lower().split("x"))
    except ValueError:
        shape = ()
    if not eq or not name or not shape or any(d <= 0 for d in shape):
        raise UsageError(f"--shape expects NAME=DxDx... with positive sizes, got '{text}'")
    return name, shape


# ---------------------------------------------------------------------------- running

def run(cmd: list, timeout: float, what: str) -> tuple[str | None, float]:
    """Runs cmd; returns (error message or None, seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"{what} timed out after {timeout:g} s", timeout
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        detail = (proc.stderr.strip() or proc.stdout.strip() or "(no output)").splitlines()
        return f"{what} failed with exit status {proc.returncode}: " + " | ".join(detail[-5:]), seconds
    return None, seconds


def compare(out: np.ndarray, ref: np.ndarray, classifier: bool | None) -> dict:
    """Error figures for one output; 'ok' says whether it passes. classifier=None: guess (2-D output)."""
    res = {"shape": list(ref.shape), "ok": False, "abs": None, "rel": None, "argmax": None, "note": ""}
    if out.shape != ref.shape:
        res["note"] = f"shape {list(out.shape)} != ORT {list(ref.shape)}"
        return res
    if out.dtype != ref.dtype:
        res["note"] = f"dtype {out.dtype} != ORT {ref.dtype}"
        return res
    if not np.issubdtype(ref.dtype, np.floating):
        diff = int(np.count_nonzero(out != ref))
        res.update(ok=diff == 0, abs=float(np.abs(out.astype(np.float64) - ref).max(initial=0)), rel=0.0)
        res["note"] = f"{diff} elements differ" if diff else "exact"
        return res
    a, b = out.astype(np.float64), ref.astype(np.float64)
    finite = np.isfinite(b)
    same_special = (np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(np.isfinite(a), finite)
                    and np.array_equal(a[np.isinf(b)], b[np.isinf(b)]))
    err = np.abs(a - b)[finite]
    max_abs = float(err.max(initial=0.0))
    max_ref = float(np.abs(b[finite]).max(initial=0.0))
    res.update(abs=max_abs, rel=max_abs / max_ref if max_ref > 0 else (0.0 if max_abs == 0 else float("inf")))
    res["ok"] = same_special and max_abs <= REL_TOL * max_ref + ABS_TOL
    if not same_special:
        res["note"] = "NaN/Inf at different places"
    if classifier is None:
        classifier = ref.ndim == 2
    if classifier and ref.ndim >= 2 and ref.shape[-1] > 1 and ref.size:
        agree = np.argmax(a, axis=-1) == np.argmax(b, axis=-1)
        res["argmax"] = (int(agree.sum()), int(agree.size))
    return res


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2e}"


def check_model(model: Path, arrays: dict, description: str, args, work: Path) -> bool:
    """Runs both runtimes on one model, prints its table, and says whether every output passes."""
    print(f"== {model}\n   input: {description}", flush=True)
    work.mkdir()
    feeds = []
    for i, (name, arr) in enumerate(arrays.items()):
        path = work / f"input{i}.npy"
        np.save(path, arr)
        feeds.append(f"{name}={path}")
    ort_out = work / "ort"
    lowbit_out = work / "lowbit.npz"
    ort_cmd = ["node", str(args.ort_dir / "run.mjs"), str(model), "--out", str(ort_out)]
    lowbit_cmd = [str(args.lowbit), "run", str(model), "-o", str(lowbit_out)]
    for feed in feeds:
        ort_cmd += ["--input", feed]
        lowbit_cmd += ["--input", feed]
    ort_err, ort_s = run(ort_cmd, args.timeout, "ONNX Runtime")
    lowbit_err, lowbit_s = run(lowbit_cmd, args.timeout, "lowbit run")
    if ort_err or lowbit_err:
        for err in (e for e in (lowbit_err, ort_err) if e):
            print(f"   FAIL: {err}")
        print()
        return False
    print(f"   time: lowbit {lowbit_s:.2f} s, ONNX Runtime {ort_s:.2f} s (wall, each including model load)")

    ref_files = json.loads((ort_out / "outputs.json").read_text())
    with np.load(lowbit_out) as npz:
        outs = {k: npz[k] for k in npz.files}
    spec = MODEL_TABLE.get(model.name)
    classifier = spec.classifier if spec else None
    rows, ok = [], True
    for name, file in ref_files.items():
        if name not in outs:
            rows.append((name, {"shape": None, "ok": False, "abs": None, "rel": None, "argmax": None,
                                "note": "missing from lowbit's outputs"}))
            continue
        rows.append((name, compare(outs[name], np.load(ort_out / file), classifier)))
    for name in sorted(set(outs) - set(ref_files)):
        rows.append((name, {"shape": list(outs[name].shape), "ok": False, "abs": None, "rel": None,
                            "argmax": None, "note": "not an ONNX Runtime output"}))

    width = max([len("output")] + [len(n) for n, _ in rows])
    print(f"   {'output':<{width}}  {'shape':<18} {'max abs err':>11} {'max rel err':>11} "
          f"{'argmax agree':>14}  result")
    for name, r in rows:
        ok &= r["ok"]
        argmax = "-" if r["argmax"] is None else f"{r['argmax'][0]}/{r['argmax'][1]}"
        shape = "-" if r["shape"] is None else "[" + ",".join(map(str, r["shape"])) + "]"
        result = ("PASS" if r["ok"] else "FAIL") + (f" ({r['note']})" if r["note"] else "")
        print(f"   {name:<{width}}  {shape:<18} {fmt(r['abs']):>11} {fmt(r['rel']):>11} "
              f"{argmax:>14}  {result}")
    print()
    return ok


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(
        description="Compare `lowbit run` with ONNX Runtime on each model.",
        epilog=f"pass if max|lowbit - ort| <= {REL_TOL:g} * max|ort| + {ABS_TOL:g} for every output")
    parser.add_argument("--lowbit", type=Path, required=True, help="the lowbit executable")
    parser.add_argument("--ort-dir", type=Path, default=REPO_ROOT / "tools" / "ort",
                        help="tools/ort, with node_modules installed (default: %(default)s)")
    parser.add_argument("--shape", action="append", default=[], metavar="NAME=DxDx...",
                        help="input shape for models not in the table (applies to every model given)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    parser.add_argument("models", nargs="+", type=Path, metavar="MODEL.onnx")
    args = parser.parse_args(argv)  # exits 2 on bad arguments

    try:
        overrides = dict(parse_shape_option(s) for s in args.shape)
        if not (args.lowbit.is_file() and args.lowbit.stat().st_mode & 0o111):
            raise UsageError(f"--lowbit: not an executable file: {args.lowbit}")
        if not (args.ort_dir / "run.mjs").is_file():
            raise UsageError(f"--ort-dir: {args.ort_dir}/run.mjs not found")
        if not (args.ort_dir / "node_modules" / "onnxruntime-node").is_dir():
            raise UsageError(f"ONNX Runtime is not installed in {args.ort_dir}/node_modules; run: "
                             f"cd {args.ort_dir} && ONNXRUNTIME_NODE_INSTALL=skip npm ci")
        for model in args.models:
            if not model.is_file():
                raise UsageError(f"model file not found: {model}")
        if not SAMPLE.is_file():
            raise UsageError(f"example input not found: {SAMPLE}")
        inputs = [make_inputs(model, overrides, args.seed) for model in args.models]
        names = {name for arrays, _ in inputs for name in arrays}
        unused = sorted(set(overrides) - names)
        if unused:
            raise UsageError(f"--shape names no input of the models given: {', '.join(unused)}")
    except UsageError as e:
        print(f"ort_parity: error: {e}", file=sys.stderr)
        return 2

    results = []
    with tempfile.TemporaryDirectory(prefix="ort_parity_") as tmp:
        for i, (model, (arrays, description)) in enumerate(zip(args.models, inputs)):
            work = Path(tmp) / f"{i}-{model.stem}"
            results.append((model, check_model(model, arrays, description, args, work)))

    failed = [str(m) for m, ok in results if not ok]
    if failed:
        print(f"ort_parity: {len(failed)} of {len(results)} model(s) FAIL: {', '.join(failed)}")
        return 1
    print(f"ort_parity: all {len(results)} model(s) match ONNX Runtime "
          f"(max|lowbit - ort| <= {REL_TOL:g} * max|ort| + {ABS_TOL:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
