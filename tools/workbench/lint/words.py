"""Is a name made of full words? The English word list, the glossary, the abbreviations.

Three tables decide:

- ENGLISH: the Debian `wamerican` list (SCOWL, 2020.12.07), lower-case words only,
  vendored as data/english_words.txt.gz (licence: data/english_words.COPYRIGHT). Two
  kinds of entries are not trusted: single letters (every letter is "a word" in the
  list) and two-letter entries, most of which are abbreviations themselves (cm, hr, xi);
  only the real words in TWO_LETTER_WORDS count.
- BRITISH: the British spellings the same SCOWL release adds (Debian `wbritish`,
  2020.12.07: colour, neighbour, centre, initialise, behaviour), vendored as
  data/british_words.txt.gz, so both spellings are words.
- COMPUTING_WORDS: everyday programming vocabulary that dictionaries lack (checksum,
  timeout, runtime, endpoint, html, rgb, ...), chosen by hand; none abbreviates a
  longer word a reader would expect instead.
- GLOSSARY: domain terms a reader of this project knows (softmax, rmsnorm, logits, ...),
  plus `allowed-words` from [tool.lint_style]. The math module's function names (exp,
  sqrt, sin, cos, tan, tanh) are in it: the seed calls `math` Python's standard,
  paradigm-neutral vocabulary, and `tape_exp` names the operation `math.exp` performs.
  A project that disagrees adds `exp = "exponential"` to its abbreviations, which win.
- ABBREVIATIONS: short forms and their full forms (attn -> attention), plus
  `abbreviations` from [tool.lint_style]. The table wins over the word list: "max",
  "min", "doc", "grad" and "temp" are dictionary words, but in a name they abbreviate.

IDENTIFIER_FULL_FORMS suggests a whole replacement for names whose full form is not
the word-by-word expansion (n_embd -> embedding_dimension, lr_t -> adjusted_learning_rate).
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENGLISH_WORDS_FILE: Path = Path(__file__).resolve().parent / "data" / "english_words.txt.gz"
BRITISH_WORDS_FILE: Path = Path(__file__).resolve().parent / "data" / "british_words.txt.gz"

COMPUTING_WORDS: frozenset[str] = frozenset(
    """
    checksum checksums timeout timeouts runtime runtimes endpoint endpoints html xml yaml css svg
    png jpeg pdf rgb rgba hsv api apis cpu cpus gpu gpus ram sql tcp udp dns ssl tls uuid uri uris
    hostname hostnames username usernames subprocess subprocesses regex plaintext codec codecs
    bytecode checkpoint checkpoints timestamp timestamps webhook webhooks backend frontend
    localhost dataclass enum enums utc iso unix posix ascii
    """.split()
)

TWO_LETTER_WORDS: frozenset[str] = frozenset(
    "am an as at be by do go he hi if in is it me my no of oh ok on or ox so to up us we id pi".split()
)

GLOSSARY: frozenset[str] = frozenset(
    """
    softmax rmsnorm layernorm batchnorm relu gelu silu tanh sigmoid adam adamw gpt mlp logit
    logits kv qkv autograd tokenizer tokenize tokenized tokenizing tokenization detokenize
    embeddings microgpt makemore karpathy dataset hyperparameter optimizer minibatch
    unigram bigram trigram ngram argmax argmin perceptron backpropagation autoregressive
    multihead gaussian exponentials lookups unscaled rescale rescaled renormalize
    utf ascii unicode json url http https stdin stdout stderr toml csv sha
    whitespace filename filepath pathname namespace metadata iterable boolean tuple async
    nonlocal docstring linter dod workbench
    exp sqrt sin cos tan tanh
    """.split()
)

ABBREVIATIONS: Mapping[str, str] = {
    "abs": "absolute",
    "acc": "accumulator",
    "addr": "address",
    "arg": "argument",
    "args": "arguments",
    "arr": "array",
    "attn": "attention",
    "attr": "attribute",
    "avg": "average",
    "bool": "boolean",
    "bos": "beginning_of_sequence",
    "buf": "buffer",
    "calc": "calculate",
    "cfg": "configuration",
    "ch": "character",
    "char": "character",
    "cmd": "command",
    "cnt": "count",
    "col": "column",
    "config": "configuration",
    "ctx": "context",
    "cur": "current",
    "curr": "current",
    "dict": "dictionary",
    "diff": "difference",
    "dim": "dimension",
    "dir": "directory",
    "doc": "document",
    "dst": "destination",
    "elem": "element",
    "emb": "embedding",
    "embd": "embedding",
    "env": "environment",
    "eos": "end_of_sequence",
    "eps": "epsilon",
    "err": "error",
    "exps": "exponentials",
    "expr": "expression",
    "fc": "fully_connected",
    "fmt": "format",
    "fn": "function",
    "func": "function",
    "gen": "generator",
    "grad": "gradient",
    "hs": "head_start",
    "idx": "index",
    "impl": "implementation",
    "info": "information",
    "init": "initialize",
    "inp": "input",
    "int": "integer",
    "iter": "iterator",
    "kwargs": "keyword_arguments",
    "len": "length",
    "lm": "language_model",
    "lr": "learning_rate",
    "mat": "matrix",
    "max": "maximum",
    "min": "minimum",
    "ms": "mean_square",
    "msg": "message",
    "mul": "multiply",
    "n": "number_of",
    "neg": "negative",
    "num": "number",
    "obj": "object",
    "op": "operation",
    "opt": "optimizer",
    "param": "parameter",
    "pos": "position",
    "prev": "previous",
    "prob": "probability",
    "ptr": "pointer",
    "ref": "reference",
    "res": "result",
    "ret": "return_value",
    "rng": "random_generator",
    "seq": "sequence",
    "src": "source",
    "std": "standard_deviation",
    "str": "string",
    "sz": "size",
    "temp": "temporary",
    "tmp": "temporary",
    "tok": "token",
    "topo": "topological_order",
    "uchars": "unique_characters",
    "val": "value",
    "var": "variable",
    "vec": "vector",
    "vocab": "vocabulary",
}

IDENTIFIER_FULL_FORMS: Mapping[str, str] = {
    "n_embd": "embedding_dimension",
    "n_head": "number_of_heads",
    "n_layer": "number_of_layers",
    "head_dim": "head_dimension",
    "lr_t": "adjusted_learning_rate",
    "li": "layer_index",
    "eps_adam": "adam_epsilon",
    "num_steps": "number_of_steps",
    "vocab_size": "vocabulary_size",
    "BOS": "beginning_of_sequence",
    "loss_t": "position_loss",
    "m_hat": "corrected_first_moment",
    "v_hat": "corrected_second_moment",
    "x_residual": "residual",
    "x_attn": "attention_output",
    "max_val": "maximum_logit",
    "q_h": "head_query",
    "k_h": "head_keys",
    "v_h": "head_values",
    "wo": "weight_row",
    "wi": "weight",
    "xi": "input_value",
}

_IRREGULAR_PLURALS: Mapping[str, str] = {"matrix": "matrices", "index": "indices", "vertex": "vertices"}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The vendored word list (about 64,000 lower-case words), read once per process."""
    with gzip.open(ENGLISH_WORDS_FILE, mode="rt", encoding="ascii") as stream:
        return frozenset(word for word in stream.read().split() if len(word) >= 3)


@lru_cache(maxsize=1)
def british_words() -> frozenset[str]:
    """The British spellings missing from the main list (about 1,500), read once."""
    with gzip.open(BRITISH_WORDS_FILE, mode="rt", encoding="ascii") as stream:
        return frozenset(stream.read().split())


@dataclass(frozen=True)
class Vocabulary:
    """Everything the full-names rule needs to judge a word."""

    words: frozenset[str]
    abbreviations: Mapping[str, str]
    identifier_full_forms: Mapping[str, str]

    def is_word(self, word: str) -> bool:
        """A word of the list or glossary, or a regular plural of one (tokens, lookups)."""
        if word in self.words:
            return True
        if word.endswith("ies") and word[:-3] + "y" in self.words:
            return True
        if word.endswith("es") and word[:-2] in self.words:
            return True
        return word.endswith("s") and word[:-1] in self.words

    def full_form(self, word: str) -> str | None:
        """The full form of an abbreviation, or of its plural (probs -> probabilities), even
        when the dictionary lists the short form (grads)."""
        if word in self.abbreviations:
            return self.abbreviations[word]
        stem = word[:-1]
        if word.endswith("s") and len(stem) >= 2 and stem in self.abbreviations:
            return pluralize(self.abbreviations[stem])
        return None


def build_vocabulary(allowed_words: frozenset[str], abbreviations: Mapping[str, str]) -> Vocabulary:
    """The built-in tables plus the additions from configuration."""
    combined_abbreviations = {**ABBREVIATIONS, **abbreviations}
    return Vocabulary(
        words=english_words() | british_words() | COMPUTING_WORDS | TWO_LETTER_WORDS | GLOSSARY | allowed_words,
        abbreviations=combined_abbreviations,
        identifier_full_forms=IDENTIFIER_FULL_FORMS,
    )


def pluralize(phrase: str) -> str:
    """'probability' -> 'probabilities', 'keyword_argument' -> 'keyword_arguments'."""
    head, separator, last = phrase.rpartition("_")
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return head + separator + plural


def split_words(identifier: str) -> list[str]:
    """'n_embd' -> ['n', 'embd'], 'TapeIndex' -> ['Tape', 'Index'], 'beta1' -> ['beta', '1'].

    Underscores separate words; so do lower-to-upper case changes, the end of a run of
    capitals before a capitalised word (HTTPServer -> HTTP, Server), and letter-digit
    changes.
    """
    words: list[str] = []
    for part in identifier.split("_"):
        current = ""
        for index, character in enumerate(part):
            if current:
                previous = part[index - 1]
                following = part[index + 1] if index + 1 < len(part) else ""
                digit_change = character.isdigit() != previous.isdigit()
                camel_hump = character.isupper() and not previous.isupper() and not previous.isdigit()
                end_of_capitals = character.isupper() and previous.isupper() and following.islower()
                if digit_change or camel_hump or end_of_capitals:
                    words.append(current)
                    current = ""
            current += character
        if current:
            words.append(current)
    return words


@dataclass(frozen=True)
class WordProblem:
    word: str
    kind: str
    """'abbreviation', 'letter' or 'unknown'."""
    full_form: str | None = None


@dataclass(frozen=True)
class NameVerdict:
    """Why a name is not made of full words, and its full form when one is known."""

    identifier: str
    problems: tuple[WordProblem, ...]
    suggestion: str | None

    @property
    def message(self) -> str:
        if (
            len(self.problems) == 1
            and self.problems[0].kind == "letter"
            and self.problems[0].word == self.identifier.strip("_")
        ):
            text = f"name '{self.identifier}' is a single letter"
        else:
            reasons: list[str] = []
            for problem in self.problems:
                if problem.kind == "abbreviation" and problem.full_form is not None:
                    reasons.append(f"'{problem.word}' abbreviates '{problem.full_form.replace('_', ' ')}'")
                elif problem.kind == "letter":
                    reasons.append(f"'{problem.word}' is a single letter")
                else:
                    reasons.append(f"'{problem.word}' is not an English word, a glossary term or a known abbreviation")
            text = f"name '{self.identifier}' is not made of full words: {'; '.join(reasons)}"
        if self.suggestion is not None:
            return f"{text}; write '{self.suggestion}'"
        return f"{text}; name what it holds in full words"


def judge_name(identifier: str, vocabulary: Vocabulary) -> NameVerdict | None:
    """None when every word of the name is a full word; otherwise what is wrong with it."""
    core = identifier.strip("_")
    if not core or core.isdigit():
        return None
    words = split_words(core)
    problems: list[WordProblem] = []
    for word in words:
        lowered = word.lower()
        if lowered.isdigit():
            continue
        full_form = vocabulary.full_form(lowered)
        if full_form is not None and not (len(lowered) == 1 and len(words) == 1):
            problems.append(WordProblem(word, "abbreviation", full_form))
        elif len(lowered) == 1:
            problems.append(WordProblem(word, "letter"))
        elif not vocabulary.is_word(lowered):
            problems.append(WordProblem(word, "unknown"))
    if not problems:
        return None
    return NameVerdict(
        identifier=identifier,
        problems=tuple(problems),
        suggestion=_suggest(identifier, core, words, problems, vocabulary),
    )


def _suggest(
    identifier: str, core: str, words: list[str], problems: list[WordProblem], vocabulary: Vocabulary
) -> str | None:
    whole = vocabulary.identifier_full_forms.get(core)
    if whole is not None:
        return whole
    replacements = {problem.word: problem.full_form for problem in problems}
    if any(full_form is None for full_form in replacements.values()):
        return None
    expanded: list[str] = []
    for word in words:
        replacement = replacements.get(word)
        expanded.extend((replacement or word.lower()).split("_"))
    return _restyle(identifier, core, expanded)


def _restyle(identifier: str, core: str, words: list[str]) -> str:
    """Put expanded words back in the identifier's style: snake, UPPER or CamelCase."""
    prefix = identifier[: len(identifier) - len(identifier.lstrip("_"))]
    lowered = [word.lower() for word in words]
    if core.isupper() and len(core) > 1:
        return prefix + "_".join(lowered).upper()
    if core[:1].isupper() and "_" not in core:
        return prefix + "".join(word.capitalize() for word in lowered)
    return prefix + "_".join(lowered)
