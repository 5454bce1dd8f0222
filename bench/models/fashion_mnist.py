"""Fashion-MNIST as the example models expect it: reading the IDX files and preprocessing.

The preprocessing matches examples/models/fashion_mnist.preprocess.yaml:
x = (pixel / 255 - MEAN) / STD, as float32 NCHW [N, 1, 28, 28].
"""

import gzip
from pathlib import Path

import numpy as np

DATASET_DIR = Path("/usr/share/datasets/fashion-mnist")  # Debian package dataset-fashion-mnist
MEAN, STD = 0.2860, 0.3530


def read_idx(path: Path) -> np.ndarray:
    """Read a gzipped IDX file (big-endian header, unsigned byte payload)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic >> 8 != 0x08:  # 0x08 = unsigned byte
        raise ValueError(f"{path}: unsupported IDX magic {magic:#x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def preprocess(images: np.ndarray) -> np.ndarray:
    """uint8 [N,28,28] -> float32 [N,1,28,28], x = (pixel/255 - MEAN) / STD."""
    x = (images.astype(np.float32) / 255.0 - MEAN) / STD
    return x[:, None, :, :].astype(np.float32)


def load_split_numpy(split: str, dataset_dir: Path = DATASET_DIR) -> tuple[np.ndarray, np.ndarray]:
    """Preprocessed images (float32 [N,1,28,28]) and int64 labels of "train" or "t10k"."""
    images = read_idx(dataset_dir / f"{split}-images-idx3-ubyte.gz")
    labels = read_idx(dataset_dir / f"{split}-labels-idx1-ubyte.gz")
    return preprocess(images), labels.astype(np.int64)
