"""Line diffs as data and the token-level highlights inside replaced lines."""

from __future__ import annotations

import difflib

from workbench.diffview.diff_render import marker_line
from workbench.diffview.textdiff import LineKind, changed_token_spans, diff_lines, pair_replaced_lines, tokenize


def span_texts(line: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [line[start:end] for start, end in spans]


def test_tokens_join_back_into_the_line() -> None:
    line = "    lr_t = learning_rate * 0.5 * (1 + math.cos(math.pi * step / num_steps)) ** -1e-5"
    assert "".join(tokenize(line)) == line
    assert "lr_t" in tokenize(line) and "**" in tokenize(line) and "1e-5" in tokenize(line)


def test_a_one_token_change_marks_exactly_that_token() -> None:
    old, new = "        x = linear(x, state_dict['lm_head'])", "        x = linear_tape(x, state_dict['lm_head'])"
    old_spans, new_spans = changed_token_spans(old, new)
    assert span_texts(old, old_spans) == ["linear"]
    assert span_texts(new, new_spans) == ["linear_tape"]


def test_a_changed_number_marks_only_the_number() -> None:
    old, new = "temperature = 0.5 # in (0, 1]", "temperature = 0.25 # in (0, 1]"
    old_spans, new_spans = changed_token_spans(old, new)
    assert span_texts(old, old_spans) == ["0.5"]
    assert span_texts(new, new_spans) == ["0.25"]


def test_an_inserted_argument_is_marked_only_on_the_new_side() -> None:
    old, new = "logits = gpt(token_id, pos_id)", "logits = gpt(tape, token_id, pos_id)"
    old_spans, new_spans = changed_token_spans(old, new)
    assert old_spans == ()
    assert span_texts(new, new_spans) == ["tape, "]


def test_replaced_lines_pair_with_their_closest_match_and_rewrites_stay_unpaired() -> None:
    old = ["x = linear(x, w)", "print('hello')"]
    new = ["# a completely different comment about tapes", "x = linear_tape(x, w)"]
    assert pair_replaced_lines(old, new) == [(0, 1)]


def test_the_unified_lines_are_those_of_difflib() -> None:
    old = [f"line {index}" for index in range(30)]
    new = list(old)
    new[3] = "line three, rewritten"
    del new[10:12]
    new.insert(20, "an inserted line")
    new[25] = "line 27 changed"
    for context in (0, 1, 3):
        ours: list[str] = []
        for hunk in diff_lines(old, new, context).hunks:
            ours.append(hunk.header)
            ours.extend(line.marker + line.text for line in hunk.lines)
        theirs = [line.rstrip("\n") for line in difflib.unified_diff(old, new, lineterm="", n=context)][2:]
        assert ours == theirs


def test_counts_and_numbers() -> None:
    diff = diff_lines(["a", "b", "c"], ["a", "B", "c", "d"], context=1)
    assert (diff.lines_added, diff.lines_removed) == (2, 1)
    (hunk,) = diff.hunks
    numbered = [(line.kind, line.old_number, line.new_number) for line in hunk.lines]
    assert numbered == [
        (LineKind.CONTEXT, 1, 1),
        (LineKind.REMOVED, 2, None),
        (LineKind.ADDED, None, 2),
        (LineKind.CONTEXT, 3, 3),
        (LineKind.ADDED, None, 4),
    ]


def test_identical_files_have_no_hunks() -> None:
    assert diff_lines(["a", "b"], ["a", "b"]).is_empty


def test_side_by_side_rows_show_every_line_once_and_align_pairs() -> None:
    old = ["def f(x):", "    return linear(x)", "    # removed", "end"]
    new = ["def f(x):", "    return linear_tape(x)", "end", "added"]
    (hunk,) = diff_lines(old, new).hunks
    left = [row.old.old_number for row in hunk.rows if row.old is not None]
    right = [row.new.new_number for row in hunk.rows if row.new is not None]
    assert left == [1, 2, 3, 4] and right == [1, 2, 3, 4]
    paired = [
        (row.old.text, row.new.text)
        for row in hunk.rows
        if row.old is not None and row.new is not None and row.old.kind is LineKind.REMOVED
    ]
    assert paired == [("    return linear(x)", "    return linear_tape(x)")]


def test_the_plain_marker_line_points_at_the_changed_token() -> None:
    (hunk,) = diff_lines(["    x = linear(x, w)"], ["    x = linear_tape(x, w)"]).hunks
    added = next(line for line in hunk.lines if line.kind is LineKind.ADDED)
    assert added.marker + added.text == "+    x = linear_tape(x, w)"
    assert marker_line(added) == "?        ^^^^^^^^^^^"
