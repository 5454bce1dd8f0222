"""Train and export Lowbit's example Fashion-MNIST models to ONNX.

Trains four small classifiers (cnn, resnet, mobilenetv2, vit) on Fashion-MNIST,
exports each to ONNX (opset 13, dynamic batch, BatchNorm kept as
BatchNormalization nodes), and writes accuracy.json and README.md next to them,
plus a 64-image preprocessed test sample for unit tests.

Usage: /usr/bin/python3 bench/models/train_examples.py [--out DIR] [--data-out DIR]
                                                       [--epochs N] [--only NAME] [--seed S]
"""

import argparse
import json
import os
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import onnx

# One BLAS thread as well (torch.set_num_threads does not reach a system OpenBLAS);
# this must be set before torch loads the BLAS library.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fashion_mnist import load_split_numpy  # noqa: E402
from torch_models import TinyViT, mobilenetv2, plain_cnn, resnet  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
BATCH_SIZE = 128
OPSET = 13


# --------------------------------------------------------------------------- data

def load_split(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    x, y = load_split_numpy(split)
    return torch.from_numpy(x), torch.from_numpy(y)


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flip (the only augmentation; training runs are short)."""
    flip = torch.rand(len(x), generator=gen) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


# ------------------------------------------------------------------------ recipes
# The architectures themselves are in torch_models.py.

@dataclass(frozen=True)
class Recipe:
    build: Callable[[], nn.Module]
    description: str
    epochs: int
    lr: float
    weight_decay: float


RECIPES = {
    "cnn": Recipe(plain_cnn, "3x (Conv-BN-ReLU, max pool), 2-layer Linear head",
                  epochs=4, lr=3e-3, weight_decay=5e-4),
    "resnet": Recipe(resnet, "Conv stem + max pool, 3 BasicBlocks (32/64 ch; the strided "
                             "one has a 1x1-conv shortcut), global avg pool",
                     epochs=5, lr=3e-3, weight_decay=5e-4),
    "mobilenetv2": Recipe(mobilenetv2, "Strided stem, 7 inverted residual blocks "
                                       "(expand 4, depthwise 3x3, ReLU6), global avg pool",
                          epochs=5, lr=4e-3, weight_decay=1e-4),
    "vit": Recipe(TinyViT, "4x4 patches (49 tokens), 4 pre-norm encoder blocks "
                           "(dim 64, 4 heads, MLP 128), mean pooling",
                  epochs=5, lr=2e-3, weight_decay=5e-2),
}


# ----------------------------------------------------------------- train / evaluate

def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, recipe: Recipe,
          seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    steps_per_epoch = len(x) // BATCH_SIZE
    opt = torch.optim.AdamW(model.parameters(), lr=recipe.lr, weight_decay=recipe.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe.lr,
                                                total_steps=epochs * steps_per_epoch)
    model.to(memory_format=torch.channels_last)  # faster mkldnn convs and BatchNorm on CPU
    for epoch in range(epochs):
        model.train()
        start, total_loss, correct = time.time(), 0.0, 0
        perm = torch.randperm(len(x), generator=gen)
        for step in range(steps_per_epoch):
            idx = perm[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
            logits = model(augment(x[idx], gen).contiguous(memory_format=torch.channels_last))
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item()
            correct += (logits.argmax(1) == y[idx]).sum().item()
        seen = steps_per_epoch * BATCH_SIZE
        print(f"  epoch {epoch + 1}/{epochs}: loss {total_loss / steps_per_epoch:.4f}, "
              f"train acc {100 * correct / seen:.2f}%, {time.time() - start:.0f}s", flush=True)
    model.to(memory_format=torch.contiguous_format)


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Return (top-1, top-5) accuracy in percent."""
    model.eval()
    top1 = top5 = 0
    for i in range(0, len(x), 1000):
        top = model(x[i:i + 1000]).topk(5, dim=1).indices
        labels = y[i:i + 1000, None]
        top1 += (top[:, :1] == labels).sum().item()
        top5 += (top == labels).any(dim=1).sum().item()
    return 100 * top1 / len(x), 100 * top5 / len(x)


# ------------------------------------------------------------------------ export

def export_onnx(model: nn.Module, path: Path) -> onnx.ModelProto:
    """Export in eval mode with BatchNorm kept as BatchNormalization nodes.

    TrainingMode.EVAL runs an eval peephole pass that fuses Conv+BatchNorm even
    with do_constant_folding=False; PRESERVE on a model in eval mode skips that
    pass and still exports inference-mode BatchNorm (and drops Dropout). Constant
    folding is safe here because the model is in eval mode, so torch's warning
    about folding in training-amenable mode is silenced.
    """
    model.eval()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="It is recommended that constant folding")
        torch.onnx.export(
            model, torch.zeros(1, 1, 28, 28), str(path),
            opset_version=OPSET,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
            training=torch.onnx.TrainingMode.PRESERVE,
            do_constant_folding=True,
        )
    proto = inline_initializer_aliases(onnx.load(str(path)))
    onnx.save(proto, str(path))
    onnx.checker.check_model(proto)
    num_bn = sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    ops = op_histogram(proto)
    if ops.get("BatchNormalization", 0) != num_bn:
        raise RuntimeError(f"{path.name}: expected {num_bn} BatchNormalization nodes, got {ops}")
    return proto


def inline_initializer_aliases(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Replace `Identity(initializer)` nodes with a copy of the initializer.

    torch deduplicates initializers with equal values (e.g. the biases of the two
    BatchNorms feeding a residual Add get identical gradients and stay equal) and
    aliases them through Identity nodes; plain initializers are easier to consume.
    """
    graph = proto.graph
    initializers = {init.name: init for init in graph.initializer}
    for node in list(graph.node):
        if node.op_type == "Identity" and node.input[0] in initializers:
            alias = onnx.TensorProto()
            alias.CopyFrom(initializers[node.input[0]])
            alias.name = node.output[0]
            graph.initializer.append(alias)
            graph.node.remove(node)
    return proto


def op_histogram(proto: onnx.ModelProto) -> Counter:
    return Counter(node.op_type for node in proto.graph.node)


def check_onnx_logits(proto: onnx.ModelProto, model: nn.Module, x: torch.Tensor) -> str:
    """Compare ONNX and PyTorch logits with onnx's reference evaluator, if present."""
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        return f"skipped (onnx {onnx.__version__} has no onnx.reference.ReferenceEvaluator)"
    with torch.no_grad():
        expected = model(x).numpy()
    (actual,) = ReferenceEvaluator(proto).run(None, {"input": x.numpy()})
    max_diff = float(np.abs(actual - expected).max())
    if max_diff > 1e-3:
        raise RuntimeError(f"ONNX logits differ from PyTorch by {max_diff:.2e}")
    return f"ok (max |diff| {max_diff:.2e} on {len(x)} images)"


# ------------------------------------------------------------------------ README

def write_readme(out: Path, results: dict) -> None:
    rows = []
    for name, r in results.items():
        ops = ", ".join(sorted(op_histogram(onnx.load(str(out / f"{name}.onnx")))))
        rows.append(f"| `{name}.onnx` | {RECIPES[name].description} | {ops} | {r['params']:,} "
                    f"| {r['onnx_bytes'] / 1024:.0f} KiB | {r['top1']:.2f} | {r['top5']:.2f} |")
    text = f"""# Example models

Small Fashion-MNIST classifiers used as Lowbit examples and test inputs. All are
ONNX opset {OPSET} with input `input` `[batch, 1, 28, 28]` float32 and output
`logits` `[batch, 10]` (dynamic batch axis). BatchNorm is kept as
`BatchNormalization` nodes (not folded into the convolutions). Opset 13 has no
LayerNormalization or Gelu op, so in `vit.onnx` LayerNorm appears as
ReduceMean/Sub/Pow/Add/Sqrt/Div/Mul/Add and GELU as Div/Erf/Add/Mul/Mul; ReLU6
in `mobilenetv2.onnx` is Clip with Constant bounds 0 and 6.

| File | Architecture | ONNX ops | Params | Size | FP32 top-1 % | FP32 top-5 % |
|------|--------------|----------|-------:|-----:|-------------:|-------------:|
{chr(10).join(rows)}

Accuracies are on the full 10,000-image Fashion-MNIST test set, computed in
PyTorch before export; they are also recorded in `accuracy.json`, together with
epochs and training time.

## Preprocessing

1-channel grayscale, NCHW float32 `[N, 1, 28, 28]`:

    x = (pixel / 255 - 0.2860) / 0.3530

i.e. scale 1/255, mean 0.2860, std 0.3530. The first 64 test images,
preprocessed this way, are in `examples/data/fashion_mnist_test_64.npy` with
labels in `examples/data/fashion_mnist_test_64_labels.npy` (int64).

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal,
6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.

## Rebuilding

    /usr/bin/python3 bench/models/train_examples.py

Options: `--only NAME` retrains one model (other entries of `accuracy.json` are
kept), `--epochs N` overrides every model's epoch count, `--seed S` changes the
seed, `--out DIR` writes the models elsewhere.

Training runs on one CPU thread and takes about 20-30 minutes when torch uses
OpenBLAS (`libopenblas0-pthread`, or its `libblas.so.3` via `LD_LIBRARY_PATH`).
With Debian's reference BLAS (`libblas3`) the ViT's matrix multiplications are
roughly 10x slower. Results vary slightly with the BLAS library.
"""
    (out / "README.md").write_text(text)


# -------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "examples" / "models")
    parser.add_argument("--data-out", type=Path, default=REPO_ROOT / "examples" / "data",
                        help="where to write the 64-image preprocessed test sample")
    parser.add_argument("--epochs", type=int, help="override every model's epoch count")
    parser.add_argument("--only", choices=sorted(RECIPES), help="train only this model")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    args.data_out.mkdir(parents=True, exist_ok=True)

    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    np.save(args.data_out / "fashion_mnist_test_64.npy", test_x[:64].numpy())
    np.save(args.data_out / "fashion_mnist_test_64_labels.npy", test_y[:64].numpy())

    results_path = args.out / "accuracy.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for name in ([args.only] if args.only else RECIPES):
        recipe = RECIPES[name]
        epochs = args.epochs or recipe.epochs
        torch.manual_seed(args.seed)
        model = recipe.build()
        params = sum(p.numel() for p in model.parameters())
        print(f"{name}: {params:,} params, {epochs} epochs", flush=True)

        start = time.time()
        train(model, train_x, train_y, epochs, recipe, args.seed)
        train_seconds = time.time() - start
        top1, top5 = evaluate(model, test_x, test_y)

        path = args.out / f"{name}.onnx"
        proto = export_onnx(model, path)
        print(f"  test top-1 {top1:.2f}%, top-5 {top5:.2f}%, {train_seconds:.0f}s, "
              f"{path.stat().st_size:,} bytes", flush=True)
        print(f"  ops: {dict(sorted(op_histogram(proto).items()))}")
        print(f"  ONNX vs PyTorch logits: {check_onnx_logits(proto, model, test_x[:8])}")

        results[name] = {"top1": round(top1, 2), "top5": round(top5, 2), "params": params,
                         "onnx_bytes": path.stat().st_size, "epochs": epochs,
                         "train_seconds": round(train_seconds, 1)}
    results = {name: results[name] for name in RECIPES if name in results}
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    write_readme(args.out, results)


if __name__ == "__main__":
    main()
