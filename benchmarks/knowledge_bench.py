"""Benchmark: search latency and indexing speed of the knowledge index, beside a scipy BM25.

Run: ``.venv/bin/python benchmarks/knowledge_bench.py`` (``--quick``: 10,000 articles only,
fewer rounds). For 10,000 and 100,000 generated bilingual articles (fixed seed, Zipf word
frequencies so some terms are in tens of thousands of articles, as in a real base) it:

* indexes them through the bulk path (``ArticleIndex(documents)``, ``ArticleDocument`` values:
  no ``decide_article`` round trips) and reports articles per second;
* times 300 queries of two to five words, half of them filtered (category subtree, a tag,
  visibility, statuses), on the numpy engine; the p50 and p99 per round, medians of 5 rounds;
* times the same queries with a scipy-sparse BM25 over the same terms (a CSC term-document
  matrix of precomputed BM25 weights, one sparse row-slice sum per query, filters as a mask):
  the reference, in the same run;
* times an incremental update (one article revised) and the first search after it;
* checks the two engines (numpy and pure Python) give identical rankings on 50 queries;
* prints nDCG@10 and MRR on the labelled evaluation set for plain BM25, this index, and
  SQLite FTS5 (``SqliteArticleSearch``) over the same terms.

Nothing is asserted about speed; the last lines are ``figure:`` lines with the goals.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse

from itsm_core.adapters.sqlite import SqliteArticleSearch
from itsm_core.knowledge import (
    Analyzer,
    ArticleDocument,
    ArticleIndex,
    ArticleSearch,
    ArticleStatus,
    Bm25,
    SearchQuery,
    Visibility,
    evaluate_search,
)

_CHINESE_TEXT = (
    "网络 连接 失败 错误 密码 重置 账号 登录 打印机 卡纸 邮件 同步 无线 断开 驱动 更新 安装 "
    "软件 许可 服务器 超时 权限 共享 文件夹 磁盘 空间 备份 恢复 系统 蓝屏 重启 显示器 键盘 "
    "鼠标 电话 会议 视频 摄像头 浏览器 证书 过期 防火墙 端口 路由器 交换机 域名 解析 代理 "
    "客户端 版本 升级 补丁 病毒 扫描 隔离 审批 流程 报表 数据库 工单 客服"
)
_ENGLISH_TEXT = (
    "network connection failed error password reset account login printer jam email sync "
    "wireless disconnect driver update install software license server timeout permission "
    "share folder disk space backup restore system crash reboot monitor keyboard mouse phone "
    "meeting video camera browser certificate expired firewall port router switch dns proxy "
    "client version upgrade patch virus scan quarantine approval workflow report database vpn "
    "outlook teams excel sap erp citrix laptop docking battery"
)
CHINESE = tuple(_CHINESE_TEXT.split())
ENGLISH = tuple(_ENGLISH_TEXT.split())
CATEGORIES = ("network/vpn", "network/wifi", "accounts", "email", "hardware/printer", "software")
TAGS = ("vpn", "password", "outlook", "printer", "wifi", "erp", "windows", "mac")
ROUNDS = 5
QUERIES = 300


def _words(rng: random.Random, count: int) -> str:
    vocabulary = CHINESE if rng.random() < 0.5 else ENGLISH
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf
    return " ".join(rng.choices(vocabulary, weights, k=count))


def build_documents(count: int, rng: random.Random) -> list[ArticleDocument]:
    """Articles as the index reads them: mostly published, a tenth internal."""
    statuses = (ArticleStatus.PUBLISHED,) * 8 + (ArticleStatus.DRAFT, ArticleStatus.RETIRED)
    return [
        ArticleDocument(
            article_id=f"KB-{i:06d}",
            title=_words(rng, rng.randint(3, 6)),
            body=_words(rng, rng.randint(20, 60)),
            category=rng.choice(CATEGORIES),
            tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
            status=rng.choice(statuses),
            visibility=Visibility.INTERNAL if rng.random() < 0.1 else Visibility.PUBLIC,
            solved=rng.choice((0, 0, 0, 1, 3)),
        )
        for i in range(count)
    ]


def build_queries(rng: random.Random) -> list[SearchQuery]:
    """Two to five words; every other query filtered by category, tag or visibility."""
    queries = []
    for i in range(QUERIES):
        text = _words(rng, rng.randint(2, 5))
        if i % 2:
            queries.append(SearchQuery(text=text))
            continue
        kind = i // 2 % 3
        queries.append(
            SearchQuery(
                text=text,
                category="network" if kind == 0 else None,
                tags={rng.choice(TAGS)} if kind == 1 else frozenset(),
                visibilities={Visibility.PUBLIC} if kind == 2 else frozenset(Visibility),
                statuses={ArticleStatus.PUBLISHED, ArticleStatus.RETIRED}
                if kind == 2
                else {ArticleStatus.PUBLISHED},
            )
        )
    return queries


class ScipyBm25:
    """The reference: BM25 (Lucene IDF) as one sparse matrix of precomputed term weights over
    the index's own terms, so both sides rank the same tokens. Filters are a boolean mask."""

    def __init__(self, index: ArticleIndex, documents: list[ArticleDocument]) -> None:
        analyzer = index.analyzer
        ranking = index.ranking
        cache: dict[str, str] = {}
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents))
        for column, document in enumerate(documents):
            terms = Counter(analyzer.terms(document.text, cache))
            lengths[column] = sum(terms.values())
            for term, frequency in terms.items():
                rows.append(vocabulary.setdefault(term, len(vocabulary)))
                cols.append(column)
                counts.append(frequency)
        tf = scipy.sparse.csr_matrix(
            (np.array(counts, dtype=float), (np.array(rows), np.array(cols))),
            shape=(len(vocabulary), len(documents)),
        )
        df = np.diff(tf.indptr)
        n = len(documents)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        norms = ranking.k1 * (1 - ranking.b + ranking.b * lengths / lengths.mean())
        weights = tf.tocoo()
        data = (
            idf[weights.row] * weights.data * (ranking.k1 + 1) / (weights.data + norms[weights.col])
        )
        self.matrix = scipy.sparse.csr_matrix((data, (weights.row, weights.col)), shape=tf.shape)
        self.vocabulary = vocabulary
        self.analyzer = analyzer
        self.cache = cache
        self.ids = [document.article_id for document in documents]
        self.status = np.array([document.status.value for document in documents])
        self.visibility = np.array([document.visibility.value for document in documents])
        self.category = np.array([document.category or "" for document in documents])
        self.tags = [document.tags for document in documents]
        self.boost = np.array(
            [ranking.boost(d.solved, d.helpful, d.not_helpful) for d in documents]
        )
        self.tag_masks = {tag: np.array([tag in tags for tags in self.tags]) for tag in TAGS}

    def search(self, query: SearchQuery) -> list[str]:
        terms = sorted(
            {
                self.vocabulary[t]
                for t in self.analyzer.terms(query.text, self.cache)
                if t in self.vocabulary
            }
        )
        if not terms:
            return []
        rows = self.matrix[terms]
        scores = np.asarray(rows.sum(axis=0)).ravel()
        matched = np.zeros(len(scores), dtype=bool)
        matched[rows.indices] = True
        mask = matched & np.isin(self.status, [s.value for s in query.statuses])
        mask &= np.isin(self.visibility, [v.value for v in query.visibilities])
        if query.category is not None:
            mask &= np.char.startswith(self.category, query.category)
        for tag in query.tags:
            mask &= self.tag_masks[tag]
        candidates = np.flatnonzero(mask)
        total = scores[candidates] + self.boost[candidates]
        top = candidates[np.argsort(-total, kind="stable")[: query.limit]]
        return [self.ids[i] for i in top]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def time_queries(search: Any, queries: list[SearchQuery]) -> tuple[float, float]:
    """p50 and p99 in milliseconds, each the median of ROUNDS rounds."""
    p50s, p99s = [], []
    for _ in range(ROUNDS):
        latencies = []
        for query in queries:
            started = time.perf_counter()
            search(query)
            latencies.append((time.perf_counter() - started) * 1000)
        p50s.append(statistics.median(latencies))
        p99s.append(percentile(latencies, 0.99))
    return statistics.median(p50s), statistics.median(p99s)


def run(count: int, rng: random.Random) -> dict[str, float]:
    documents = build_documents(count, rng)
    queries = build_queries(rng)
    rates, cpu_rates = [], []
    for _ in range(3 if count > 20_000 else ROUNDS):
        started, cpu = time.perf_counter(), time.process_time()
        index = ArticleIndex(documents)
        rates.append(count / (time.perf_counter() - started))
        cpu_rates.append(count / (time.process_time() - cpu))
    rate = statistics.median(rates)
    p50, p99 = time_queries(index.search, queries)
    reference = ScipyBm25(index, documents)
    ref_p50, ref_p99 = time_queries(reference.search, queries)

    same = sum(
        [hit.article_id for hit in index.search(q)][:5] == reference.search(q)[:5]
        for q in queries[:100]
    )
    python = ArticleIndex(documents[: min(count, 10_000)], use_numpy=False)
    numpy_small = ArticleIndex(documents[: min(count, 10_000)])
    identical = all(python.search(q) == numpy_small.search(q) for q in queries[:50])

    updates = []
    for i in range(ROUNDS):
        changed = documents[i * 7]
        started = time.perf_counter()
        index.update(
            ArticleDocument(
                article_id=changed.article_id,
                title=changed.title + " vpn",
                body=changed.body,
                category=changed.category,
                tags=changed.tags,
            )
        )
        index.search(queries[i])
        updates.append((time.perf_counter() - started) * 1000)

    print(f"\n{count:,} articles, {QUERIES} queries (half filtered), medians of {ROUNDS} rounds")
    print(f"  bulk indexing            {rate:>10,.0f} articles/s")
    print(f"  bulk indexing, CPU time  {statistics.median(cpu_rates):>10,.0f} articles/s")
    print(f"  search p50 / p99         {p50:>7.2f} / {p99:>6.2f} ms   (numpy engine)")
    print(f"  scipy BM25 p50 / p99     {ref_p50:>7.2f} / {ref_p99:>6.2f} ms   (reference)")
    print(f"  same top 5 as scipy      {same:>10} / 100 queries")
    print(f"  numpy = pure Python      {'yes' if identical else 'NO':>10} (50 queries)")
    print(f"  update + next search     {statistics.median(updates):>10.2f} ms")
    return {"rate": rate, "p50": p50, "p99": p99}


DATA = Path(__file__).resolve().parents[1] / "tests" / "knowledge" / "data"


def quality() -> float:
    """nDCG@10 and MRR on the labelled evaluation set, beside plain BM25; the nDCG."""
    lines = (DATA / "eval_articles.jsonl").read_text("utf-8").splitlines()
    documents = [
        ArticleDocument(
            article_id=a["id"],
            title=a["title"],
            body=a["body"],
            category=a["category"],
            tags=frozenset(a["tags"]),
        )
        for a in map(json.loads, lines)
    ]
    queries = [
        json.loads(line) for line in (DATA / "eval_queries.jsonl").read_text("utf-8").splitlines()
    ]
    labelled = [(q["text"], q["relevance"]) for q in queries]
    variants: dict[str, ArticleSearch] = {
        "plain BM25 (RSJ IDF, bigrams and words)": ArticleIndex(
            documents, analyzer=Analyzer.plain(), ranking=Bm25(idf_form="rsj")
        ),
        "this index (default analyzer)": ArticleIndex(documents),
        "  + jieba words (chinese extra)": ArticleIndex(
            documents, analyzer=Analyzer(chinese_words=True)
        ),
    }
    folder = tempfile.TemporaryDirectory()
    fts5 = SqliteArticleSearch(Path(folder.name) / "kb.db")
    fts5.put_many(documents)
    variants["SQLite FTS5 bm25() over the same terms"] = fts5
    print(f"\nevaluation set: {len(documents)} articles, {len(queries)} labelled queries")
    print(f"  {'ranking':<42} {'nDCG@10':>8} {'MRR':>6}   (zh nDCG / MRR)")
    ndcg = 0.0
    for name, index in variants.items():
        both = evaluate_search(index, labelled)
        zh = evaluate_search(
            index, [(q["text"], q["relevance"]) for q in queries if q["lang"] == "zh"]
        )
        print(
            f"  {name:<42} {both.ndcg_at_10:>8.3f} {both.mrr:>6.3f}"
            f"   ({zh.ndcg_at_10:.3f} / {zh.mrr:.3f})"
        )
        if name.startswith("this"):
            ndcg = both.ndcg_at_10
    fts5.close()
    folder.cleanup()
    return ndcg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 articles only")
    args = parser.parse_args()
    rng = random.Random(20260105)
    small = run(10_000, rng)
    large = small if args.quick else run(100_000, rng)
    size = "10k" if args.quick else "100k"
    ndcg = quality()
    print()
    print(f"figure: knowledge_ndcg_at_10 = {ndcg:.3f} (goal > plain BM25)")
    print(f"figure: knowledge_index_rate = {large['rate']:,.0f} articles/s (goal >= 20,000)")
    print(f"figure: knowledge_search_p50_{size} = {large['p50']:.2f} ms (goal < 5)")
    print(f"figure: knowledge_search_p99_{size} = {large['p99']:.2f} ms (goal < 20)")


if __name__ == "__main__":
    main()
