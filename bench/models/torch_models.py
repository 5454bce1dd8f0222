"""PyTorch definitions of Lowbit's example Fashion-MNIST models, and loading them from ONNX.

The four models (cnn, resnet, mobilenetv2, vit) are trained and exported by
train_examples.py. `load_from_onnx(name, path)` rebuilds one of them and loads
its weights back from the exported ONNX file (initializers and Constant nodes,
BatchNorm running statistics included), so PyTorch-side tools (evaluation,
PyTorch's own post-training quantization) can work from the same files Lowbit
reads:

    from torch_models import load_from_onnx
    model = load_from_onnx("resnet", "examples/models/resnet.onnx")   # eval mode, float32
    logits = model(x)                                                  # x: [N, 1, 28, 28]

Input: float32 [N, 1, 28, 28], preprocessed as in fashion_mnist.preprocess();
output: logits [N, NUM_CLASSES].
"""

from pathlib import Path
from typing import Callable

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

NUM_CLASSES = 10


# ------------------------------------------------------------------------- models

def conv_bn(cin: int, cout: int, kernel: int = 3, stride: int = 1, groups: int = 1,
            act: Callable[[], nn.Module] | None = nn.ReLU) -> nn.Sequential:
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


def plain_cnn() -> nn.Module:
    return nn.Sequential(
        conv_bn(1, 32), nn.MaxPool2d(2),      # 14x14
        conv_bn(32, 64), nn.MaxPool2d(2),     # 7x7
        conv_bn(64, 128), nn.MaxPool2d(2),    # 3x3
        nn.Flatten(),
        nn.Dropout(0.3), nn.Linear(128 * 3 * 3, 128), nn.ReLU(),
        nn.Linear(128, NUM_CLASSES),
    )


class BasicBlock(nn.Module):
    """ResNet basic block; a strided or widening block uses a 1x1 conv shortcut."""

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, stride=stride), conv_bn(cout, cout, act=None))
        self.shortcut = (conv_bn(cin, cout, kernel=1, stride=stride, act=None)
                         if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.body(x) + self.shortcut(x))


def resnet() -> nn.Module:
    return nn.Sequential(
        conv_bn(1, 32), nn.MaxPool2d(2),                      # 14x14
        BasicBlock(32, 32),
        BasicBlock(32, 64, stride=2), BasicBlock(64, 64),     # 7x7
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(64, NUM_CLASSES),
    )


class InvertedResidual(nn.Module):
    """MobileNetV2 block: 1x1 expand, 3x3 depthwise, 1x1 linear projection."""

    def __init__(self, cin: int, cout: int, stride: int, expand: int):
        super().__init__()
        hidden = cin * expand
        layers = [conv_bn(cin, hidden, kernel=1, act=nn.ReLU6)] if expand != 1 else []
        layers += [conv_bn(hidden, hidden, stride=stride, groups=hidden, act=nn.ReLU6),
                   conv_bn(hidden, cout, kernel=1, act=None)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x) if self.residual else self.body(x)


def mobilenetv2() -> nn.Module:
    # (expand ratio, output channels, repeats, first stride), as in the paper's table
    settings = [(1, 16, 1, 1), (4, 24, 2, 2), (4, 32, 2, 1), (4, 64, 2, 1)]
    layers: list[nn.Module] = [conv_bn(1, 16, stride=2, act=nn.ReLU6)]  # 14x14
    cin = 16
    for expand, cout, repeats, stride in settings:
        for i in range(repeats):
            layers.append(InvertedResidual(cin, cout, stride if i == 0 else 1, expand))
            cin = cout
    layers += [conv_bn(cin, 128, kernel=1, act=nn.ReLU6),
               nn.AdaptiveAvgPool2d(1), nn.Flatten(),
               nn.Dropout(0.2), nn.Linear(128, NUM_CLASSES)]
    return nn.Sequential(*layers)


class Attention(nn.Module):
    """Multi-head self-attention. Reshapes use static sizes with -1 only for the
    batch, which keeps Shape/Gather/Concat chains out of the ONNX graph."""

    def __init__(self, dim: int, heads: int, num_tokens: int):
        super().__init__()
        self.dim, self.heads, self.head_dim, self.num_tokens = dim, heads, dim // heads, num_tokens
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        qkv = self.qkv(x).reshape(-1, self.num_tokens, 3, self.heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # each [batch, heads, tokens, head_dim] (indexing, so FX can trace it)
        attn = torch.softmax(q @ k.transpose(-2, -1) * self.head_dim ** -0.5, dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(-1, self.num_tokens, self.dim))


class EncoderBlock(nn.Module):
    """Pre-norm transformer encoder block."""

    def __init__(self, dim: int, heads: int, mlp_dim: int, num_tokens: int):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim), Attention(dim, heads, num_tokens)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Linear(mlp_dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    """Patch-embedding ViT with learned positional embedding and mean-pooled tokens."""

    def __init__(self, patch: int = 4, dim: int = 64, depth: int = 4, heads: int = 4,
                 mlp_dim: int = 128):
        super().__init__()
        self.dim, self.num_tokens = dim, (28 // patch) ** 2
        self.patch_embed = nn.Conv2d(1, dim, patch, stride=patch)
        self.pos_embed = nn.Parameter(torch.randn(1, self.num_tokens, dim) * 0.02)
        self.blocks = nn.Sequential(
            *[EncoderBlock(dim, heads, mlp_dim, self.num_tokens) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, NUM_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        patches = self.patch_embed(x).reshape(-1, self.dim, self.num_tokens)
        tokens = patches.transpose(1, 2) + self.pos_embed
        return self.head(self.norm(self.blocks(tokens)).mean(dim=1))


# Builders by example-model name (the ONNX file is examples/models/<name>.onnx).
MODELS: dict[str, Callable[[], nn.Module]] = {
    "cnn": plain_cnn,
    "resnet": resnet,
    "mobilenetv2": mobilenetv2,
    "vit": TinyViT,
}


def build(name: str) -> nn.Module:
    """A freshly initialised (untrained) model; `name` is a key of MODELS."""
    if name not in MODELS:
        raise ValueError(f"unknown model '{name}'; expected one of {', '.join(MODELS)}")
    return MODELS[name]()


# -------------------------------------------------------------- loading from ONNX

class OnnxWeightsError(ValueError):
    """The ONNX file does not hold the weights of the requested architecture."""


def load_from_onnx(name: str, path: str | Path) -> nn.Module:
    """Build model `name` and load every parameter and buffer from the ONNX file `path`.

    Returns the model in eval mode (float32). Values come from the graph's
    initializers and Constant nodes. Mapping rules (torch.onnx.export keeps
    parameter names where it uses a parameter directly):
      1. a tensor named like the state_dict entry ("3.body.0.1.running_mean");
      2. for a Linear exported as MatMul + Add (the ViT), the MatMul's constant
         operand, transposed: the Add is found by the bias's name; a Gemm
         reached the same way gives its B operand (transposed if transB=0).
    Raises OnnxWeightsError if an entry is missing or has the wrong shape, if an
    initializer is left unused, or if a Conv's or BatchNormalization's
    attributes (strides, pads, groups, dilations, epsilon) differ from the
    module's: any of these means the file is not this architecture.
    """
    path = Path(path)
    graph = onnx.load(str(path)).graph
    initializers = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    tensors = dict(initializers)
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    tensors[node.output[0]] = numpy_helper.to_array(attr.t)
    producers = {out: node for node in graph.node for out in node.output}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for inp in node.input:
            consumers.setdefault(inp, []).append(node)

    def linear_weight(prefix: str) -> tuple[str, np.ndarray] | None:
        """Rule 2: the weight of Linear `prefix` found through the node that adds its bias."""
        for node in consumers.get(f"{prefix}.bias", []):
            if node.op_type == "Gemm" and len(node.input) >= 2 and node.input[1] in tensors:
                trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
                w = tensors[node.input[1]]
                return node.input[1], (w if trans_b else w.T)
            if node.op_type == "Add":
                for inp in node.input:
                    mm = producers.get(inp)
                    if mm is not None and mm.op_type == "MatMul" and mm.input[1] in tensors:
                        return mm.input[1], tensors[mm.input[1]].T
        return None

    model = build(name)
    modules = dict(model.named_modules())
    state = model.state_dict()
    source: dict[str, str] = {}  # state_dict key -> ONNX tensor name
    for key, current in state.items():
        if key.endswith("num_batches_tracked"):  # not exported; only used in training
            continue
        prefix, attr = key.rsplit(".", 1) if "." in key else ("", key)
        found = (key, tensors[key]) if key in tensors else None
        if found is None and attr == "weight" and isinstance(modules.get(prefix), nn.Linear):
            found = linear_weight(prefix)
        if found is None:
            raise OnnxWeightsError(f"{path}: no tensor for '{key}' of model '{name}'")
        onnx_name, value = found
        if tuple(value.shape) != tuple(current.shape):
            raise OnnxWeightsError(f"{path}: '{onnx_name}' has shape {list(value.shape)}, "
                                   f"'{key}' of model '{name}' needs {list(current.shape)}")
        state[key] = torch.from_numpy(np.array(value, dtype=np.float32))
        source[key] = onnx_name

    unused = sorted(set(initializers) - set(source.values()))
    if unused:
        raise OnnxWeightsError(f"{path}: initializers not used by model '{name}': {', '.join(unused)}")
    _check_layer_attributes(path, graph, modules, {v: k for k, v in source.items()})
    model.load_state_dict(state, strict=True)
    return model.float().eval()


def _check_layer_attributes(path: Path, graph: onnx.GraphProto, modules: dict[str, nn.Module],
                            key_of: dict[str, str]) -> None:
    """Conv and BatchNormalization attributes must match the modules their weights went to."""
    for node in graph.node:
        if node.op_type not in ("Conv", "BatchNormalization") or len(node.input) < 2:
            continue
        key = key_of.get(node.input[1])
        if key is None:
            continue
        module = modules[key.rsplit(".", 1)[0]]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Conv" and isinstance(module, nn.Conv2d):
            k = len(module.kernel_size)
            pads = attrs.get("pads", [0] * 2 * k)
            got = (list(attrs.get("strides", [1] * k)), list(pads[:k]), list(pads[k:]),
                   attrs.get("group", 1), list(attrs.get("dilations", [1] * k)))
            want = (list(module.stride), list(module.padding), list(module.padding),
                    module.groups, list(module.dilation))
        elif node.op_type == "BatchNormalization" and isinstance(module, nn.BatchNorm2d):
            got = float(np.float32(attrs.get("epsilon", 1e-5)))
            want = float(np.float32(module.eps))
        else:
            raise OnnxWeightsError(f"{path}: {node.op_type} node '{node.name}' reads the weights "
                                   f"of a {type(module).__name__}")
        if got != want:
            raise OnnxWeightsError(f"{path}: {node.op_type} node '{node.name}' has attributes {got}, "
                                   f"module '{key.rsplit('.', 1)[0]}' has {want}")
