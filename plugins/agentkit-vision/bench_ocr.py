"""OCR accuracy and latency of the ``ocr`` perceiver on rendered English and Chinese text.

Each string is drawn on its own image with Pillow (sizes 12 to 48 px cycle through the
set), read through ``OcrPerceiver.read`` and compared with the truth:

- character accuracy = 1 - CER, CER = edit distance / length of the truth, summed over the
  set; also given ignoring spaces, because PP-OCR sometimes drops or adds a space between
  words and that rarely matters to a language model;
- exact-line accuracy = share of images whose reading equals the truth exactly;
- latency per image (mean, median, max) after one warm-up image; the model load is
  reported on its own.

    .venv/bin/python plugins/agentkit-vision/bench_ocr.py [--threads N] [--json]

``--threads 0`` uses onnxruntime's default pool (a thread per core).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from agentkit_vision.ocr import OcrPerceiver
from agentkit_vision.samples import find_font, render_lines

SIZES = (12, 16, 20, 24, 32, 48)

ENGLISH = [
    "Press E to open the inventory",
    "Health 7/9  Food 5/9  Water 8/9",
    "The quick brown fox jumps over the lazy dog",
    "EXIT",
    "Warning: low battery (15%)",
    "Collect 3 wood to craft a table",
    "Room 204, second floor",
    "Do not feed the animals",
    "Score: 12,450",
    "Open Monday to Friday, 9am - 5pm",
    "Turn left at the red door",
    "Level 3 complete!",
    "Insert coin to continue",
    "Stone pickaxe required",
    "https://example.org/help",
]

CHINESE = [
    "按E键打开背包",
    "生命值 7/9",
    "今天天气很好，我们去公园散步。",
    "出口",
    "警告：电量不足",
    "收集三块木头来制作工作台",
    "二楼 204 室",
    "请勿投喂动物",
    "得分：12450",
    "营业时间：周一至周五",
    "在红色的门前左转",
    "第三关完成！",
    "投币继续游戏",
    "需要石镐",
    "北京欢迎你",
]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def measure(
    ocr: OcrPerceiver, strings: list[str], font: str, sizes: tuple[int, ...] = SIZES
) -> dict[str, object]:
    images = [render_lines([s], font, sizes[i % len(sizes)]) for i, s in enumerate(strings)]
    ocr.read(images[0])  # warm-up: onnxruntime's first run allocates and tunes
    errors = errors_nospace = chars = chars_nospace = exact = 0
    latencies: list[float] = []
    failures: list[dict[str, object]] = []
    for index, (truth, image) in enumerate(zip(strings, images, strict=True)):
        began = time.perf_counter()
        rows = ocr.read(image)
        latencies.append(time.perf_counter() - began)
        read = " ".join(" ".join(box.text for box in row) for row in rows)
        distance = edit_distance(read, truth)
        errors += distance
        chars += len(truth)
        errors_nospace += edit_distance(read.replace(" ", ""), truth.replace(" ", ""))
        chars_nospace += len(truth.replace(" ", ""))
        exact += read == truth
        if read != truth:
            failures.append({"size": sizes[index % len(sizes)], "truth": truth, "read": read})
    return {
        "images": len(strings),
        "char_accuracy": round(1 - errors / chars, 4),
        "char_accuracy_ignoring_spaces": round(1 - errors_nospace / chars_nospace, 4),
        "exact_lines": round(exact / len(strings), 4),
        "latency_mean_s": round(statistics.mean(latencies), 3),
        "latency_median_s": round(statistics.median(latencies), 3),
        "latency_max_s": round(max(latencies), 3),
        "failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--threads", type=int, default=1, help="onnxruntime threads (0: its own default)"
    )
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="font sizes in pixels, cycled through the strings (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    ocr = OcrPerceiver(min_confidence=args.min_confidence, threads=args.threads or None)
    began = time.perf_counter()
    ocr._load()
    report: dict[str, object] = {"load_s": round(time.perf_counter() - began, 3)}
    for lang, strings in (("en", ENGLISH), ("zh", CHINESE)):
        font = find_font(lang)
        if font is None:
            report[lang] = {"skipped": f"no font for {lang!r} (install fonts-wqy-microhei)"}
            continue
        sizes = tuple(int(size) for size in args.sizes.split(","))
        report[lang] = {"font": font, **measure(ocr, strings, font, sizes)}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"model load: {report['load_s']} s")
    for lang in ("en", "zh"):
        result = report[lang]
        assert isinstance(result, dict)
        if "skipped" in result:
            print(f"{lang}: skipped, {result['skipped']}")
            continue
        print(
            f"{lang}: {result['images']} images, char accuracy {result['char_accuracy']:.1%} "
            f"({result['char_accuracy_ignoring_spaces']:.1%} ignoring spaces), exact lines "
            f"{result['exact_lines']:.1%}, latency mean {result['latency_mean_s']} s, "
            f"median {result['latency_median_s']} s, max {result['latency_max_s']} s"
        )
        for failure in result["failures"]:
            size, truth, read = failure["size"], failure["truth"], failure["read"]
            print(f"   {size:>2}px  truth {truth!r}  read {read!r}")


if __name__ == "__main__":
    main()
