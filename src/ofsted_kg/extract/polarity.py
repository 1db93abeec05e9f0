"""Is a paragraph a strength, an area for improvement, or mixed? Rules, with the cues.

Inspectors write in a settled register: weaknesses are said with a small set of words
('not', 'too many', 'inconsistent', 'delay'), strengths with another ('effective',
'timely', 'good'), and a paragraph that turns ('however', 'but', 'although') is often
mixed. The rules count the cues of each kind (a strength cue negated by 'not' counts as
a weakness) and keep them, so the decision can be read and checked.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from itertools import compress

_NEGATIVE = [
    r"not", r"\w+n't", r"never", r"weak(?:ness(?:es)?|er)?", r"poor(?:ly)?", r"inadequate(?:ly)?",
    r"insufficient(?:ly)?", r"inconsistent(?:ly)?", r"inconsistency", r"variable", r"variability", r"vary",
    r"varies", r"delays?", r"delayed", r"lack(?:s|ed|ing)?", r"limited", r"fail(?:s|ed|ure|ures|ing)?",
    r"gaps?", r"deficits?", r"drift", r"unsafe", r"shortfalls?", r"declined?", r"deteriorat\w*",
    r"ineffective(?:ly)?", r"cannot", r"unable", r"absence", r"missed", r"backlogs?", r"superficial",
    r"uneven", r"patchy", r"worse", r"slow(?:ly)?", r"unclear", r"minority", r"few", r"overly", r"late",
    r"untimely", r"inappropriate(?:ly)?", r"difficult(?:y|ies)?", r"struggle\w*",
]
_NEGATIVE_PHRASES = [
    "too many", "too few", "too long", "too slow", "too much", "too late", "too often", "too high", "too low",
    "less effective", "yet to", "does not", "do not", "are not", "is not", "have not", "has not",
    "require improvement", "requires improvement", "need to improve", "needs to improve", "not always",
    "not consistently", "not sufficiently", "not yet",
]
_POSITIVE = [
    r"good", r"strong(?:ly)?", r"effective(?:ly)?", r"effectiveness", r"timely", r"appropriate(?:ly)?",
    r"robust(?:ly)?", r"thorough(?:ly)?", r"improv(?:ed|ing|ement|ements)", r"positive(?:ly)?",
    r"comprehensive(?:ly)?", r"prompt(?:ly)?", r"clear(?:ly)?", r"benefit(?:s|ed)?", r"excellent",
    r"outstanding", r"consistent(?:ly)?", r"impressive", r"successful(?:ly)?", r"skilled", r"committed",
    r"sensitive(?:ly)?", r"creative(?:ly)?", r"valued?", r"responsive", r"swift(?:ly)?", r"quick(?:ly)?",
    r"embedded", r"helpful", r"proactive(?:ly)?", r"meaningful", r"purposeful", r"detailed",
    r"regular(?:ly)?", r"supportive", r"stable", r"stability", r"enjoy\w*", r"thrive\w*", r"strengths?",
    r"knowledgeable", r"tenacious(?:ly)?", r"rigorous(?:ly)?", r"well",
]
_POSITIVE_PHRASES = [
    "high quality", "good quality",
]
_CONTRAST = frozenset({"however", "but", "although", "though", "despite", "whilst", "while", "except",
                       "nevertheless"})
_NEGATORS = frozenset({"not", "no", "never", "without", "less", "lack"})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?(?:-[a-z]+)*")


_NEG_WORD = re.compile("|".join(_NEGATIVE))
_POS_WORD = re.compile("|".join(_POSITIVE))
_PHRASES: dict[tuple[str, ...], str] = {
    **{tuple(p.split()): "-" for p in _NEGATIVE_PHRASES},
    **{tuple(p.split()): "+" for p in _POSITIVE_PHRASES},
}


_PHRASE_STARTS = frozenset(words[0] for words in _PHRASES)


@cache
def _kind(word: str) -> str:
    if _NEG_WORD.fullmatch(word) or word.endswith("n't"):
        return "-"
    if _POS_WORD.fullmatch(word):
        return "+"
    return ""


@dataclass(frozen=True)
class Polarity:
    value: str  # strength, area-for-improvement or mixed
    cues: tuple[str, ...]  # the words that decided it, in order


@cache
def _marked(word: str) -> bool:
    return bool(word in _PHRASE_STARTS or word in _CONTRAST or _kind(word))


def polarity(text: str) -> Polarity:
    return _judge(_words(text), 0, None)


def polarities(text: str, first_end: int, last_start: int) -> tuple[Polarity, Polarity, Polarity]:
    """``polarity`` of ``text``, of ``text[:first_end]`` and of ``text[last_start:]``, the
    text read into words once; both offsets must fall next to white space (a word never
    runs over them), as a sentence's first and last do."""
    pieces = [_words(text[:first_end]), _words(text[first_end:last_start]), _words(text[last_start:])]
    words = [*pieces[0], *pieces[1], *pieces[2]]
    marked = list(compress(range(len(words)), map(_marked, words)))
    last = len(pieces[0]) + len(pieces[1])
    return (_judge(words, 0, None, marked), _judge(words, 0, len(pieces[0]), marked),
            _judge(words, last, None, marked[bisect_left(marked, last):]))


def cued_near(before: str, after: str, length: int, near: int) -> bool:
    """Whether a strength or weakness cue falls within ``near`` words of a label ``length``
    words long that opens ``after`` (``before`` is its sentence up to the label): the
    sentence weighs the service itself ("assessments are thorough"), not only names it."""
    words = _words(before)[-near:] + _words(after)[:length + near]
    return any(cue[0] in "+-" for cue in _judge(words, 0, None).cues)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _judge(words: list[str], first: int, end: int | None, marked: list[int] | None = None) -> Polarity:
    """The polarity of ``words[first:end]``; ``marked`` are (at least) the indices of the
    words that are cues, phrase starts or turns there, in order."""
    end = len(words) if end is None else end
    positive, negative, cues, turn = 0, 0, [], None
    after = 0  # the end of the last phrase: its words are counted once, as the phrase
    # Most words are neither cues nor phrase starts nor turns: only the others are looked at.
    if marked is None:
        marked = list(compress(range(len(words)), map(_marked, words)))
    for index in marked:
        if index >= end:
            break
        if index < after:
            continue
        phrase = None
        if words[index] in _PHRASE_STARTS:
            three = tuple(words[index: min(index + 3, end)])
            phrase = three if three in _PHRASES else three[:2] if three[:2] in _PHRASES else None
        if phrase:
            kind = _PHRASES[phrase]
            cues.append(kind + " ".join(phrase))
            positive, negative = (positive + 1, negative) if kind == "+" else (positive, negative + 1)
            after = index + len(phrase)
            continue
        word = words[index]
        kind = _kind(word)
        if word == "well" and index > first and words[index - 1] == "as":
            kind = ""  # 'as well as'

        if kind == "+" and any(w in _NEGATORS or w.endswith("n't") for w in words[max(first, index - 3): index]):
            kind = ""  # 'not effective' was counted as 'not'
        if kind:
            cues.append(kind + word)
            if kind == "+":
                positive += 1
            else:
                negative += 1
        elif turn is None and word in _CONTRAST:
            turn = word
    if turn:
        cues.append("~" + turn)
    # Thresholds measured on the hand-labelled set (tests/expected/findings-eval.csv): a
    # paragraph that turns and carries cues of both kinds is mixed unless one kind makes
    # up over 90% of them; one that does not turn goes with the larger share.
    if negative == 0:
        value = "strength"
    elif positive == 0:
        value = "area-for-improvement"
    else:
        share = negative / (positive + negative)
        if turn and 0.1 <= share <= 0.7:
            value = "mixed"
        elif share > (0.7 if turn else 0.55):
            value = "area-for-improvement"
        else:
            value = "strength"
    return Polarity(value, tuple(cues))
