"""Static-site benchmark: build `papers export --format html` for a generated 10,000-paper catalog, then
measure in headless Chromium how long a filter keystroke takes to update the page.

The catalog is generated deterministically (seeded): 10,000 papers with Chinese and English titles,
authors, 1-3 tags and institutions from a vocabulary with Chinese aliases, and ~1 KB Markdown notes mixing
Chinese and English. Targets (issue 12): build < 10 s, keystroke -> page updated < 100 ms.

Build: the wall time of the installed `papers --catalog big.toml export --format html -o DIR`, against
`papers --catalog big.toml export --format json -o FILE` on the same catalog as a baseline, alternating;
medians of --runs runs each with the catalog cache warm (as on every export after the first) and without
it (PAPERS_NO_CACHE=1: the TOML parsed and checked as well).

Keystroke: the page is loaded from file://; for each query, the characters are typed one at a time by
setting the box's value and dispatching an `input` event, as typing does. The time of one keystroke is
performance.now() before the dispatch to the end of the next frame after it (requestAnimationFrame, then
a task), so it covers the filter, the DOM update, style, layout and paint, not just the script. Medians
over all keystrokes; the slowest is reported too.

    python3 -m pip install ".[test]" && python3 benchmarks/site.py [--papers 10000] [--runs 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import clean_env, installed_papers  # noqa: E402
from tests.browser import chromium, file_url, missing_reason  # noqa: E402

WORDS_EN = (
    "retrieval augmented generation language model instruction tuning alignment reasoning chain thought "
    "benchmark evaluation long context attention sparse mixture experts adapter low rank fine tuning "
    "preference optimisation reward model multimodal vision encoder decoder token pretraining corpus "
    "hallucination factuality agent tool planning memory compression quantization distillation"
).split()
WORDS_ZH = (
    "检索 增强 生成 大模型 指令 微调 对齐 推理 思维链 评测 长文本 注意力 稀疏 专家 适配器 低秩 "
    "偏好 优化 奖励 模型 多模态 视觉 编码器 解码器 预训练 语料 幻觉 事实性 智能体 工具 规划 记忆 压缩 量化 蒸馏"
).split()
TAGS = [
    ("RAG", ["检索增强生成", "检索增强"]),
    ("PEFT", ["参数高效微调", "LoRA"]),
    ("alignment", ["对齐", "RLHF"]),
    ("reasoning", ["推理"]),
    ("multimodal", ["多模态"]),
    ("long-context", ["长文本"]),
    ("evaluation", ["评测"]),
    ("agents", ["智能体"]),
    ("efficiency", ["高效推理", "量化"]),
    ("pretraining", ["预训练"]),
    ("hallucination", ["幻觉"]),
    ("instruction-tuning", ["指令微调", "SFT"]),
]
INSTITUTIONS = [
    ("Microsoft", ["微软"]),
    ("Google", ["谷歌"]),
    ("Meta", ["脸书"]),
    ("OpenAI", []),
    ("Tsinghua University", ["清华大学", "清华"]),
    ("Peking University", ["北京大学", "北大"]),
    ("Stanford University", ["斯坦福"]),
    ("Alibaba", ["阿里巴巴", "阿里"]),
    ("Baidu", ["百度"]),
    ("Shanghai AI Lab", ["上海人工智能实验室"]),
]
NAMES = "Wei Li Zhang Wang Chen Liu Yang Anna Maria John David Sarah Kim Lee Smith Brown Garcia Müller".split()


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _note(rng: random.Random) -> str:
    lines = []
    while sum(len(line.encode()) for line in lines) < 1000:
        zh = "".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(8, 16)))
        en = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(6, 12)))
        kind = rng.random()
        if kind < 0.2:
            lines.append(f"- **{rng.choice(['动机', '方法', '实验', '结论'])}**:{zh}")
        elif kind < 0.7:
            lines.append(f"  - {zh},{en}。")
        elif kind < 0.85:
            lines.append(f"  - {en}, see [code](https://github.com/example/{rng.randint(1, 9999)}).")
        else:
            lines.append(f"  - `{rng.choice(WORDS_EN)}`:{zh}")
    return "\n".join(lines) + "\n"


def generate_catalog(path: Path, count: int, seed: int = 12) -> None:
    rng = random.Random(seed)
    out = ['title = "Generated benchmark catalog"', ""]
    for name, aliases in TAGS:
        out += ["[[tags]]", f"name = {_toml_string(name)}", f"aliases = [{', '.join(map(_toml_string, aliases))}]", ""]
    for name, aliases in INSTITUTIONS:
        out += ["[[institutions]]", f"name = {_toml_string(name)}"]
        out += [f"aliases = [{', '.join(map(_toml_string, aliases))}]", ""]
    for i in range(count):
        title = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(5, 10))).capitalize()
        title_zh = "".join(rng.choice(WORDS_ZH) for _ in range(rng.randint(3, 6)))
        authors = [f"{rng.choice(NAMES)} {rng.choice(NAMES)}" for _ in range(rng.randint(1, 6))]
        tags = rng.sample([t for t, _ in TAGS], rng.randint(1, 3))
        insts = rng.sample([n for n, _ in INSTITUTIONS], rng.randint(1, 2))
        year = rng.randint(2017, 2025)
        arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{i:05d}"
        out += [
            "[[papers]]",
            f'id = "paper-{i}"',
            f"title = {_toml_string(title + f' {i}')}",
            f"title_zh = {_toml_string(title_zh)}",
            f"authors = [{', '.join(map(_toml_string, authors))}]",
            f"institutions = [{', '.join(map(_toml_string, insts))}]",
            f"year = {year}",
            f'url = "https://arxiv.org/abs/{arxiv}"',
            f'code = "https://github.com/example/paper-{i}"',
            f"tags = [{', '.join(map(_toml_string, tags))}]",
            f"summary = {_toml_string(' '.join(rng.choice(WORDS_EN) for _ in range(20)) + '.')}",
            f'note = """\n{_note(rng)}"""',
            "",
        ]
    path.write_text("\n".join(out), encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


KEYSTROKE = """
const [text, done] = arguments;
const box = document.getElementById('_q');
const times = [];
const step = (i) => {
  if (i > text.length) { done(times); return; }
  const start = performance.now();
  box.value = text.slice(0, i);
  box.dispatchEvent(new Event('input', {bubbles: true}));
  requestAnimationFrame(() => setTimeout(() => {
    times.push([performance.now() - start, document.getElementById('_count').textContent]);
    step(i + 1);
  }, 0));
};
step(1);
"""
QUERIES = ("retrieval", "检索增强", "微软", "lora adapter", "paper-99")


def measure_keystrokes(site: Path, rounds: int) -> tuple[float, list[float], list[tuple[str, str]]]:
    with chromium() as driver:
        driver.set_script_timeout(120)
        start = time.perf_counter()
        driver.get(file_url(site / "index.html"))
        load = time.perf_counter() - start
        times: list[float] = []
        results: list[tuple[str, str]] = []
        for _ in range(rounds):
            for query in QUERIES:
                typed = driver.execute_async_script(KEYSTROKE, query)
                times += [t for t, _ in typed]
                results.append((query, typed[-1][1]))
                driver.execute_script(
                    "const b = document.getElementById('_q'); b.value = '';b.dispatchEvent(new Event('input'));"
                )
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        if errors:
            sys.exit(f"console errors: {errors}")
    return load, times, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000, help="papers in the generated catalog (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed warm builds of each export (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is typed (default 3)")
    args = parser.parse_args()
    papers = installed_papers()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        catalog = work / "big.toml"
        generate_catalog(catalog, args.papers)
        site = work / "site"
        export = [str(papers), "--catalog", str(catalog), "export"]
        html = [*export, "--format", "html", "-o", str(site)]
        as_json = [*export, "--format", "json", "-o", str(work / "big.json")]
        cold_env = clean_env(PAPERS_NO_CACHE="1")
        env = clean_env(PAPERS_CACHE_DIR=str(work / "cache"))
        timed(as_json, env)  # fills the catalog cache
        cold: dict[str, list[float]] = {"html": [], "json": []}
        warm: dict[str, list[float]] = {"html": [], "json": []}
        for _ in range(args.runs):  # alternating, so load on the machine hits both alike
            warm["html"].append(timed(html, env))
            warm["json"].append(timed(as_json, env))
            cold["html"].append(timed(html, cold_env))
            cold["json"].append(timed(as_json, cold_env))
        size = sum(f.stat().st_size for f in site.iterdir())
        html_median, json_median = statistics.median(warm["html"]), statistics.median(warm["json"])
        cold_html, cold_json = statistics.median(cold["html"]), statistics.median(cold["json"])
        print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"catalog: {args.papers} papers, {catalog.stat().st_size / 1e6:.1f} MB of TOML; site {size / 1e6:.1f} MB")
        print(f"build, catalog cached: html median {html_median:.2f} s, json median {json_median:.2f} s, ", end="")
        print(f"ratio {html_median / json_median:.2f}x ({args.runs} runs each; target < 10 s)")
        print(f"build, no cache (the TOML parsed and checked too): html median {cold_html:.2f} s, ", end="")
        print(f"json median {cold_json:.2f} s; html slowest {max(cold['html']):.2f} s")
        if missing_reason():
            print(f"keystroke timing skipped: {missing_reason()}")
            return 0
        load, times, results = measure_keystrokes(site, args.rounds)
    print(f"page load (driver.get, file://): {load:.2f} s")
    median = statistics.median(times)
    print(
        f"keystroke -> next frame: median {median:.1f} ms, p90 {statistics.quantiles(times, n=10)[-1]:.1f} ms, "
        f"max {max(times):.1f} ms over {len(times)} keystrokes (target < 100 ms)"
    )
    for query, count in results[: len(QUERIES)]:
        print(f"  typed {query!r}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
