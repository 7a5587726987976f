"""Benchmark: index 100,000 generated bilingual articles, then time queries against them.

Run: ``.venv/bin/python benchmarks/knowledge_bench.py`` (``--quick`` for 10,000 articles).
Prints the time to build the articles, to index them, and the query latency median and p99;
nothing is asserted about speed. The corpus is generated from a fixed seed: word frequencies
follow a Zipf law, so some terms are in tens of thousands of articles, as in a real base.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from itsm_core.knowledge import (
    Article,
    ArticleContext,
    ArticleIndex,
    CreateArticle,
    Publish,
    SearchQuery,
    Submit,
    decide_article,
)

T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
AUTHOR = ArticleContext(actor="author", role="author", now=T0)
REVIEWER = ArticleContext(actor="reviewer", role="reviewer", now=T0)
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


def _words(rng: random.Random, count: int) -> str:
    vocabulary = CHINESE if rng.random() < 0.5 else ENGLISH
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # Zipf
    return " ".join(rng.choices(vocabulary, weights, k=count))


def build_articles(count: int, rng: random.Random) -> list[Article]:
    """Published articles: written by 'author', published by 'reviewer'."""
    articles = []
    for i in range(count):
        command = CreateArticle(
            article_id=f"KB-{i:06d}",
            title=_words(rng, rng.randint(3, 6)),
            body=_words(rng, rng.randint(20, 60)),
            category=rng.choice(CATEGORIES),
            tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
        )
        article = decide_article(None, command, AUTHOR).state
        article = decide_article(article, Submit(), AUTHOR).state
        article = decide_article(article, Publish(), REVIEWER).state
        articles.append(article)
    return articles


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 200 queries")
    args = parser.parse_args()
    count, query_count = (10_000, 200) if args.quick else (100_000, 1_000)
    rng = random.Random(20260105)

    started = time.perf_counter()
    articles = build_articles(count, rng)
    built = time.perf_counter() - started

    started = time.perf_counter()
    index = ArticleIndex(articles)
    indexed = time.perf_counter() - started

    queries = [
        SearchQuery(
            text=_words(rng, rng.randint(2, 5)),
            category=rng.choice((None, None, None, "network")),
            limit=10,
        )
        for _ in range(query_count)
    ]
    latencies: list[float] = []
    hits = 0
    for query in queries:
        started = time.perf_counter()
        found = index.search(query)
        latencies.append((time.perf_counter() - started) * 1000)
        hits += len(found)

    print(f"articles            {count:>10,}")
    print(f"build (decide x3)   {built:>10.2f} s")
    print(f"index               {indexed:>10.2f} s  ({count / indexed:,.0f} articles/s)")
    print(f"average length      {index.average_length:>10.1f} terms")
    print(f"queries             {query_count:>10,}  (2-5 words, 1 in 4 filtered by category)")
    print(f"latency median      {statistics.median(latencies):>10.2f} ms")
    print(f"latency p99         {percentile(latencies, 0.99):>10.2f} ms")
    print(f"latency max         {max(latencies):>10.2f} ms")
    print(f"hits per query      {hits / query_count:>10.1f}")


if __name__ == "__main__":
    main()
