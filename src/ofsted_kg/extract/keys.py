"""The services that findings are tagged with and measured on: the keys of the labelling
rules, each as its concept in ``ontology/services.ttl``.

The rules give one key to the MASH and the front door; the front door (the broader
concept) stands for it, and a MASH named as such is tagged ``mash`` as well. Concepts
of the vocabulary that no key covers (permanence in general, unaccompanied children,
mental health services, the safeguarding partnership) are still found in
recommendations by their labels, but a finding is only tagged with a key's concept,
so what is stored is what was measured.
"""

from __future__ import annotations

KEY_SERVICES: tuple[str, ...] = (
    "adoption", "advocacy", "assessments", "child-protection-conferences", "children-in-care-council",
    "children-missing-education", "corporate-parenting", "disabled-children", "domestic-abuse", "early-help",
    "edge-of-care", "emergency-duty", "exploitation", "fostering", "front-door", "health-assessments",
    "homeless-16-17", "iro", "lado", "leaving-care", "missing-children", "participation", "placements",
    "pre-proceedings", "private-fostering", "quality-assurance", "special-guardianship", "staying-put",
    "strategy-discussions", "supervision", "virtual-school", "workforce", "youth-justice",
)

# A concept that counts as another key's concept when tags are measured.
SAME_KEY = {"mash": "front-door"}

# Keys tagged only where the rules name them (a court, proceedings, the PLO, Cafcass...):
# the pre-proceedings criticism list must rest on what each finding says, never on the
# model's reading of words such as 'permanency' and 'delay' alone.
NAMED_ONLY: frozenset[str] = frozenset({"pre-proceedings"})


def as_keys(services: set[str] | list[str] | tuple[str, ...]) -> set[str]:
    """The keys a set of service notations stands for (others are dropped)."""
    keys = {SAME_KEY.get(service, service) for service in services}
    return keys & set(KEY_SERVICES)
