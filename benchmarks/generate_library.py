"""Generate a realistic synthetic library as JSON Lines (the ``list --json`` shape).

    python benchmarks/generate_library.py [-n 100000] [--seed 1] > library.jsonl

Other benchmarks import ``generate`` and ``build_library`` (a cached 100k library on disk).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

WORDS = ("learning model models language large neural network networks diffusion transformer "
         "attention graph reinforcement policy vision multimodal reasoning benchmark dataset "
         "training inference efficient scaling robust adversarial generative contrastive "
         "representation self-supervised retrieval augmented agents planning robotics quantum "
         "optimization stochastic gradient convergence bayesian causal uncertainty sparse "
         "mixture experts alignment preference feedback reward instruction tuning evaluation "
         "segmentation detection tracking video audio speech translation summarization code "
         "synthesis theorem proving mathematical physics simulation protein molecule chemistry "
         "climate weather forecasting time series anomaly federated privacy differential "
         "hallucination grounding frozen adapter lora quantization distillation pruning memory "
         "long context recurrent state space kernel spectral manifold topology geometry").split()
FIRST = ("Wei Li Ana Maria John Yuki Omar Sofia Chen Priya David Elena Ivan Fatima Lucas Mei "
         "Ahmed Sara Tomas Hannah Kenji Laura Pablo Nina Raj Olga Marco Aisha Felix Zoe").split()
LAST = ("Zhang Wang Smith Garcia Müller Tanaka Kim Nguyen Rossi Dubois Ivanova Silva Patel "
        "Johansson Kowalski O'Brien Haddad Cohen Novak Fischer Sato Costa Martin Lopez Chen "
        "Engdahl Barthélemy Yilmaz Petrov Andersen").split()
CATEGORIES = ("cs.CL cs.LG cs.CV cs.AI stat.ML cs.RO cs.IR cs.NE math.OC quant-ph "
              "physics.comp-ph q-bio.NC eess.AS cs.CR hep-th").split()
SOURCES = ("hf-daily", "arxiv-rss", "arxiv-query", "rss")
TAGS = ("to-read", "llm", "vision", "rl", "theory", "survey", "cite", "reproduce", "group-meeting",
        "diffusion")


_SYLLABLES = ("ka ri to mo na se li vu de pa ro ti ne sa lo mi ga be zu fo ra te no "
              "ki ma so re du pi lu ha ve ta co ni").split()
STOP = ("the of and a to in we is for that on with by this as are an our from which be "
        "can at it these show results method approach propose paper").split()


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Technical words plus invented ones, so that word frequencies fall off like real text."""
    invented = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                for _ in range(size)}
    return WORDS + sorted(invented)


_VOCAB_CACHE: dict[int, tuple[list[str], list[float]]] = {}


def _zipf(rng: random.Random) -> tuple[list[str], list[float]]:
    if 0 not in _VOCAB_CACHE:
        words = _vocabulary(random.Random(0))
        shuffled = words[:]
        random.Random(1).shuffle(shuffled)
        weights, total = [], 0.0
        for rank in range(len(shuffled)):
            total += 1.0 / (rank + 10)
            weights.append(total)
        _VOCAB_CACHE[0] = (shuffled, weights)
    return _VOCAB_CACHE[0]


def _sentence(rng: random.Random, n: int) -> str:
    words, cumulative = _zipf(rng)
    out = rng.choices(words, cum_weights=cumulative, k=n)
    for index in range(0, n, 3):  # function words between content words
        out[index] = rng.choice(STOP)
    return " ".join(out)


def _title(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) if rng.random() < 0.5 else w
                    for w in _sentence(rng, n).split())


def generate(n: int = 100_000, seed: int = 1) -> Iterator[dict]:
    """Yield ``n`` paper objects with realistic ids, dates, authors, categories and triage."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    span = (date(2026, 11, 27) - start).days
    for index in range(n):
        day = start + timedelta(days=int(span * index / max(n, 1)))
        arxiv_id = f"{day:%y%m}.{index % 100000:05d}"
        title = _title(rng, rng.randint(5, 14)).capitalize()
        abstract = ". ".join(_sentence(rng, rng.randint(12, 25)).capitalize()
                             for _ in range(rng.randint(5, 9))) + "."
        cats = rng.sample(CATEGORIES, rng.randint(1, 3))
        sources = rng.sample(SOURCES, rng.randint(1, 2))
        archived = rng.random() < 0.6 and index < n * 0.9
        yield {
            "arxiv_id": arxiv_id, "version": rng.randint(1, 3), "doi": None, "title": title,
            "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                        for _ in range(rng.randint(1, 8))],
            "abstract": abstract, "published": day.isoformat(), "categories": cats,
            "primary_category": cats[0], "sources": sources,
            "hf_upvotes": rng.randint(0, 400) if "hf-daily" in sources else None,
            "listed_on": day.isoformat() if "hf-daily" in sources else None,
            "withdrawn": rng.random() < 0.002, "read": archived or rng.random() < 0.3,
            "starred": rng.random() < 0.05, "archived": archived,
            "tags": rng.sample(TAGS, rng.randint(1, 2)) if rng.random() < 0.08 else [],
            "note": _sentence(rng, 30) if rng.random() < 0.02 else "",
        }


def write_jsonl(path: Path, n: int, seed: int = 1) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for paper in generate(n, seed):
            handle.write(json.dumps(paper, ensure_ascii=False) + "\n")
    return path


def build_library(n: int = 100_000, folder: Path | None = None) -> Path:
    """A library folder (READINGLIST_HOME) holding ``n`` generated papers, cached between runs."""
    folder = folder or Path(__file__).resolve().parent.parent / ".bench" / f"lib-v4-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from readinglist.services.library import Library

    source = write_jsonl(folder / "papers.jsonl", n)
    started = time.perf_counter()
    library = Library(folder / "library.sqlite3")
    library.import_jsonl(source)
    library.close()
    print(f"built a {n}-paper library in {time.perf_counter() - started:.1f} s: {folder}",
          file=sys.stderr)
    done.touch()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for paper in generate(args.n, args.seed):
        sys.stdout.write(json.dumps(paper, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
