"""Tag a finding with its services and polarity: the rules and the shipped model together.

The choice was made by measurement (``bench/findings_eval.py``, README "Findings and
services"): rules alone tag every service *named*, including the ones named only as
context; the learned model, which also sees what the rules found, tells the subject of a
paragraph from its setting. Whether a key with a model is tagged is decided by a second
stage (``stacking.py``) over the model's probability and where the rules name the key; a
model file without one falls back to two bars: the model's probability reaches
``thresholds['model']``, or the rules name the key and it reaches the lower
``thresholds['rule']``. Both were tuned by report-wise cross-validation on the labelled
paragraphs. Each tag keeps its evidence: the words that matched when the rules
named the service, otherwise the model's strongest features. Polarity is the model's
class, with the features that pushed it there. Without a model file the rules decide alone.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.keys import KEY_SERVICES, NAMED_ONLY, SAME_KEY
from ofsted_kg.extract.polarity import Polarity, cued_near
from ofsted_kg.extract.polarity import polarities as rule_polarities
from ofsted_kg.extract.polarity import polarity as rule_polarity
from ofsted_kg.extract.services import services_by_sentence, tag_services
from ofsted_kg.extract.textmodel import FindingsModel, Scored, shipped_model
from ofsted_kg.extract.textmodel import words as model_words
from ofsted_kg.facts import ServiceTag

_KEYS = frozenset(KEY_SERVICES)
_SIGN = {"strength": "+", "area-for-improvement": "-", "mixed": "~"}


# The white space between two sentences (group 1); a stop is found faster than a look-behind.
_SENTENCE = re.compile(r"[.!?](\s+)(?=[A-Z\u2018'\"(])")
# Words after which a service is an example or the setting of something else, not the subject.
_ASIDE = re.compile(r"\b(?:such as|including|includes?|included|for example|for instance|e\.g\.?|as well as|"
                    r"alongside|along with|other than|rather than|via|through)\W+(?:\w+\W+){0,6}$", re.IGNORECASE)
# What an aside must hold, lower-cased: a faster test, exact for ASCII (whose case IGNORECASE folds alone).
_ASIDE_HINTS = ("such as", "includ", "for ex", "for in", "e.g", "as well as", "along", "other than", "rather than",
                "via", "through")
_WORDS = re.compile(r"\w+")
_SUBJECT_WORDS = 3  # a label starting within a sentence's first three words is its subject
# A cue this many words or fewer from a label judges the service. Over the labelled paragraphs the
# rules name it in, 35% of those with such a cue by 'assessment' were labelled assessments and 16%
# of the others; fostering 56% and 24%, supervision 89% and 65%: words beside the label
# tell an evaluated service from one named as the setting, which a bag of words cannot.
_NEAR = 4
# The labelling rules put health assessments, early help assessments and the assessments of
# foster carers, connected carers, adopters and special guardians under keys of their own (not
# young carers' assessments, which are social work assessments):
# a paragraph whose every assessment is one of those makes no finding on social work
# assessments, whatever its words suggest to the model ("Initial health assessments ... are
# often late" was tagged both).
_OWNER = r"(?:['\u2019]s|s['\u2019]?)?"  # carer, carer's, carers, carers' (straight or curly)
_OTHER_ASSESSMENT = re.compile(
    rf"\b(?:health|early[ -]help|fostering|foster|(?:foster|connected|kinship|family and friends) carer{_OWNER}"
    rf"|adopter{_OWNER}|adoption|special guardian(?:ship)?{_OWNER}|SGO|kinship|viability)\s+assessments?\b"
    r"|\bassessments?\s+of\s+(?:foster|prospective|adopt|connected|kinship|special guardian)", re.IGNORECASE)
_ASSESSMENT = re.compile(r"\bassess(?:es|ed|ing|ments?)?\b", re.IGNORECASE)


def names_social_work_assessment(text: str) -> bool:
    """Whether ``text`` names an assessment other than those the rules give other keys."""
    return bool(_ASSESSMENT.search(_OTHER_ASSESSMENT.sub(" ", text)))


def rule_features(text: str) -> tuple[str, ...]:
    """What the rules found, as features the model can weigh: each service named, and
    whether it is named in the first sentence (where inspectors put a paragraph's subject),
    in more than one or in most, as a sentence's subject, only as an example or a setting
    ("such as", "including", "through"), or with a polarity cue beside it; each polarity
    cue's kind, the kinds in the first and last sentences (the verdict, and a closing
    'however'), and the rules' polarity."""
    return _rules(text)[1]


def _rules(text: str) -> tuple[dict[str, ServiceTag], tuple[str, ...], list[str]]:
    """The services the rules name (each with its first words), ``rule_features``, and the
    text's words as ``textmodel.words`` reads them."""
    between = list(_SENTENCE.finditer(text))
    breaks = [match.end(1) for match in between]
    mentions: dict[str, int] = {}
    lead: set[str] = set()
    named: dict[str, ServiceTag] = {}
    subject: set[str] = set()
    main: set[str] = set()  # keys named once at least outside an aside
    weighed: set[str] = set()  # keys with a polarity cue beside their label
    starts = (0, *breaks)
    ends = (*breaks, len(text))
    by_sentence, folded = services_by_sentence(text, breaks)
    for sentence, service, words in by_sentence:  # a label never spans two
        if service not in named:
            named[service] = ServiceTag(service, words)
        key = SAME_KEY.get(service, service)
        mentions[key] = mentions.get(key, 0) + 1
        if sentence == 0:
            lead.add(key)
        start = starts[sentence]
        at = text.find(words.split()[0], start)
        before = text[start:at] if at >= 0 else ""
        if len(_WORDS.findall(before)) < _SUBJECT_WORDS:
            subject.add(key)
        if key not in weighed and at >= 0 and cued_near(before, text[at:ends[sentence]],
                                                        len(words.split()), _NEAR):
            weighed.add(key)
        tail = before[-80:]
        if tail.isascii() and not any(map(tail.lower().__contains__, _ASIDE_HINTS)) or not _ASIDE.search(tail):
            main.add(key)
    if between:
        judged, first, last = rule_polarities(text, between[0].start(1), breaks[-1])
    else:
        judged = first = last = rule_polarity(text)
    keys = sorted(mentions)
    found = [f"rule:{key}" for key in keys]
    found += [f"rule:{key}:lead" for key in sorted(lead)]
    found += [f"rule:{key}:again" for key in keys if mentions[key] > 1]
    found += [f"rule:{key}:most" for key in keys if 2 * mentions[key] > len(starts)]
    found += [f"rule:{key}:subject" for key in sorted(subject)]
    found += [f"rule:{key}:aside" for key in sorted(set(mentions) - main)]
    found += [f"rule:{key}:judged" for key in sorted(weighed)]
    found += [f"cue:{cue[0]}" for cue in judged.cues]
    found += [f"first:{cue[0]}" for cue in first.cues] + [f"last:{cue[0]}" for cue in last.cues]
    found += [f"rule:polarity:{judged.value}", f"first:polarity:{first.value}", f"last:polarity:{last.value}"]
    # The services' words in lower case are the model's, unless lower case made ASCII
    # letters of others: 'İ' and the Kelvin sign (read once, not twice: a build's inner loop).
    return named, tuple(found), folded if "\u0130" not in text and "\u212a" not in text else model_words(text)


def tag_findings(texts: list[str]) -> list[tuple[list[ServiceTag], Polarity]]:
    """The services each finding is about (each with its evidence) and its polarity: a
    report's paragraphs together, so the model scores them in one product."""
    model = shipped_model()
    if model is None:
        return [([tag for tag in tag_services(text) if SAME_KEY.get(tag.service, tag.service) in _KEYS],
                 rule_polarity(text)) for text in texts]
    rules = [_rules(text) for text in texts]
    scored = model.score_rows([model.feature_rows(tokens, found) for _, found, tokens in rules])
    return [_decide(model, named, found, one, text)
            for (named, found, _), one, text in zip(rules, scored, texts, strict=True)]


def _decide(model: FindingsModel, named: dict[str, ServiceTag], found: tuple[str, ...],
            scored: Scored, text: str) -> tuple[list[ServiceTag], Polarity]:
    rule_keys = {SAME_KEY.get(service, service): tag for service, tag in named.items()}
    probabilities = dict(zip(model.services.classes, scored.services, strict=True))
    tags: list[ServiceTag] = []
    # Only these can be chosen: the others are skipped in C.
    lowest, decider = model.unnamed_bars, model.decider
    likely = {*rule_keys, *(key for key, p in probabilities.items() if p >= lowest[key])}
    for key in filter(likely.__contains__, KEY_SERVICES):
        probability = probabilities.get(key)
        by_rule = key in rule_keys
        if key == "assessments" and not names_social_work_assessment(text):
            continue
        if probability is None:
            # No model for a key too rare to learn: the rules decide, unless it is only an example.
            chosen = by_rule and f"rule:{key}:aside" not in found
        elif key in NAMED_ONLY and not by_rule:
            chosen = False
        elif decider is not None:
            chosen = decider.chosen(key, probability, found)
        else:
            chosen = (probability >= model.thresholds["model"] or (
                by_rule and probability >= model.thresholds.get(f"rule:{key}", model.thresholds["rule"])))
        if not chosen:
            continue
        if by_rule:
            tags.append(ServiceTag(key, rule_keys[key].label))
        else:
            evidence = [name for name in model.evidence(scored, key)
                        if not name.startswith(("rule:", "cue:"))]
            tags.append(ServiceTag(key, "; ".join(evidence[:3]) or key))
        if key == "front-door" and "mash" in named:
            tags.append(named["mash"])  # the narrower concept too, when a MASH is named
    cues = tuple(_SIGN[scored.polarity] + name for name in scored.polarity_evidence)
    return sorted(tags, key=lambda tag: tag.service), Polarity(scored.polarity, cues)
