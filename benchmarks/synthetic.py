"""Synthetic catalogs for the scale benchmark: N papers with realistic fields and ~1 KB notes mixing
Chinese and English Markdown, over a vocabulary shaped like the bundled catalog's (tags with Chinese
aliases, institutions with aliases, a reading list). Deterministic for a given size and seed.

    python benchmarks/synthetic.py 10000 > /tmp/10k.toml
"""

from __future__ import annotations

import random
import sys

TAGS = [
    ("RAG", ["检索增强生成", "retrieval-augmented generation"]),
    ("PEFT", ["参数高效微调", "LoRA"]),
    ("alignment", ["对齐", "RLHF"]),
    ("multimodal", ["多模态", "MLLM"]),
    ("long-context", ["长文本", "长上下文"]),
    ("evaluation", ["评测", "benchmark"]),
    ("reasoning", ["推理"]),
    ("agents", ["智能体", "agent"]),
    ("retrieval", ["检索", "dense retrieval"]),
    ("instruction-tuning", ["指令微调", "SFT"]),
    ("code", ["代码生成"]),
    ("data-selection", ["数据选择"]),
    ("quantization", ["量化"]),
    ("moe", ["混合专家", "mixture of experts"]),
    ("hallucination", ["幻觉"]),
    ("safety", ["安全"]),
]
INSTITUTIONS = [
    ("Microsoft", ["微软", "MSRA"]),
    ("Google", ["谷歌", "Google Research"]),
    ("Meta", ["Facebook", "FAIR"]),
    ("OpenAI", []),
    ("Tsinghua University", ["清华大学", "清华"]),
    ("Peking University", ["北京大学", "北大"]),
    ("Stanford University", ["斯坦福"]),
    ("Alibaba", ["阿里巴巴", "阿里"]),
    ("Tencent", ["腾讯"]),
    ("Baidu", ["百度"]),
]
EN_WORDS = (
    "model language large retrieval generation attention transformer token context window training data "
    "fine-tuning adapter rank matrix reward policy preference benchmark evaluation reasoning chain thought "
    "agent tool memory index query document passage embedding dense sparse latency throughput quantization "
    "expert routing alignment safety hallucination factuality instruction dataset scaling law loss gradient"
).split()
ZH_PHRASES = (
    "大语言模型 检索增强 生成 对齐 人类偏好 指令微调 长文本 上下文窗口 推理能力 思维链 多模态 视觉编码器 "
    "参数高效 低秩适配 数据选择 评测基准 幻觉问题 知识库 向量检索 重排序 智能体 工具调用 奖励模型 强化学习 "
    "训练成本 推理速度 注意力机制 位置编码 量化 混合专家 安全性 代码生成"
).split()
VENUES = ["ACL 2023", "EMNLP 2023", "NeurIPS 2023", "ICLR 2024", "ICML 2024", "arXiv", "NAACL 2024", None]
FIRST = ["Wei", "Yang", "Hao", "Jie", "Xin", "Anna", "John", "Maria", "Ken", "Li", "Ming", "Sara", "Tom", "Yu"]
LAST = ["Zhang", "Wang", "Li", "Chen", "Liu", "Smith", "Brown", "Garcia", "Kim", "Sun", "Zhou", "Xu", "Lee"]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _note(rng: random.Random) -> str:
    lines = []
    size = 0
    while size < 1000:
        zh = "".join(rng.choice(ZH_PHRASES) for _ in range(rng.randint(3, 8)))
        en = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(6, 14)))
        line = rng.choice(["- **动机**:", "- **论文方法**:", "  - ", "- **实验结果**:", "- "]) + zh + ", " + en + "。"
        lines.append(line)
        size += len(line.encode("utf-8"))
    return "\n".join(lines) + "\n"


def catalog_text(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = ['# Synthetic catalog for benchmarks/scale.py\ntitle = "Synthetic catalog"\n']
    for name, aliases in TAGS:
        out.append(f"\n[[tags]]\nname = {_q(name)}\naliases = [{', '.join(_q(a) for a in aliases)}]\n")
    for name, aliases in INSTITUTIONS:
        out.append(f"\n[[institutions]]\nname = {_q(name)}\naliases = [{', '.join(_q(a) for a in aliases)}]\n")
    picks = sorted(rng.sample(range(count), min(150, count)))
    out.append('\n[[lists]]\nid = "must-read"\ntitle = "必读论文"\n\n[[lists.sections]]\ntitle = "第一部分"\n')
    out.append("papers = [" + ", ".join(_q(f"paper-{i}") for i in picks) + "]\n")
    for i in range(count):
        year = rng.randint(2017, 2025)
        month = rng.randint(1, 12)
        words = rng.sample(EN_WORDS, rng.randint(3, 7))
        title = " ".join(w.capitalize() for w in words) + f" {i}"
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 6))]
        tags = rng.sample([t for t, _ in TAGS], rng.randint(1, 3))
        institutions = rng.sample([n for n, _ in INSTITUTIONS], rng.randint(1, 2))
        arxiv = f"{year % 100:02d}{month:02d}.{10000 + i % 90000:05d}"
        entry = [
            "\n[[papers]]",
            f'id = "paper-{i}"',
            f"title = {_q(title)}",
            f"title_zh = {_q(''.join(rng.sample(ZH_PHRASES, 3)))}",
            f"authors = [{', '.join(_q(a) for a in authors)}]",
            f"institutions = [{', '.join(_q(n) for n in institutions)}]",
            f"year = {year}",
        ]
        venue = rng.choice(VENUES)
        if venue:
            entry.append(f"venue = {_q(venue)}")
        entry.append(f'url = "https://arxiv.org/abs/{arxiv}"' if i < 90000 else f'url = "https://example.org/p/{i}"')
        if rng.random() < 0.4:
            entry.append(f'code = "https://github.com/example/repo-{i}"')
        entry.append(f"tags = [{', '.join(_q(t) for t in tags)}]")
        entry.append(f"summary = {_q(' '.join(rng.choice(EN_WORDS) for _ in range(20)) + '.')}")
        entry.append('note = """\n' + _note(rng).replace("\\", "\\\\").replace('"""', '\\"""') + '"""')
        out.append("\n".join(entry) + "\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(catalog_text(int(sys.argv[1]) if len(sys.argv) > 1 else 10000))
