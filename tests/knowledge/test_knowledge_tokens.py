"""Tokenisation: Chinese as character bigrams, English as case-folded words, mixed text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.knowledge import tokenize


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("密码重置", ("密码", "码重", "重置")),
        ("网", ("网",)),
        ("打印机 卡纸", ("打印", "印机", "卡纸")),
        ("Hello, World!", ("hello", "world")),
        ("OUTLOOK outlook Outlook", ("outlook", "outlook", "outlook")),
        ("VPN连接失败(809)", ("vpn", "连接", "接失", "失败", "809")),
        ("错误：无法登录。", ("错误", "无法", "法登", "登录")),  # full-width punctuation splits
        ("ＶＰＮ２", ("vpn2",)),  # full-width letters and digits are folded by NFKC
        ("e-mail_address", ("e", "mail", "address")),
        ("Straße", ("strasse",)),  # case folding, not just lower-casing
        ("", ()),
        ("?!… —", ()),
        ("パスワード", ("パス", "スワ", "ワー", "ード")),
    ],
)
def test_tokenize_examples(text: str, terms: tuple[str, ...]) -> None:
    assert tokenize(text) == terms


def test_a_cjk_run_of_n_characters_gives_n_minus_one_bigrams() -> None:
    run = "服务台知识库管理规范"
    terms = tokenize(run)
    assert len(terms) == len(run) - 1
    assert "".join(t[0] for t in terms) + terms[-1][1] == run


@given(st.text())
def test_tokens_are_non_empty_folded_and_free_of_punctuation(text: str) -> None:
    for term in tokenize(text):
        assert term
        assert term.casefold() == term
        assert all(ch.isalnum() for ch in term), term


@given(st.text(), st.text())
def test_whitespace_between_texts_concatenates_their_terms(left: str, right: str) -> None:
    assert tokenize(left + " " + right) == tokenize(left) + tokenize(right)


def test_unassigned_code_points_in_cjk_ranges_separate_terms() -> None:
    # U+2EBE1 lies between CJK extensions F and I: unassigned, so not a letter (found by the CI
    # hypothesis profile). It must separate terms like punctuation, never become one.
    assert tokenize("连接\U0002ebe1失败") == ("连接", "失败")
    assert tokenize("\U0002ebe1") == ()
