"""Labels for banked content, modelled on the GIFCT hash-sharing taxonomy.

Entity-based: content produced by a group on the UN Security Council Consolidated List.
Behaviour-based: attacker manifestos, livestreamed attacks (the Content Incident Protocol case),
branded terrorist publications. Members may add their own labels with an `x-` prefix.
"""

from __future__ import annotations

TAXONOMY: dict[str, str] = {
    "entity:un_listed": "produced by or attributed to a group on the UN Security Council Consolidated List",
    "behaviour:attacker_manifesto": "manifesto of the perpetrator of a violent extremist attack",
    "behaviour:livestreamed_attack": "livestream or recording of an attack (Content Incident Protocol)",
    "behaviour:branded_publication": "branded terrorist or violent extremist publication or media-outlet content",
    "known_benign": "known-benign content (negative banks)",
}

_ALIASES = {
    "un_listed": "entity:un_listed",
    "entity_un_listed": "entity:un_listed",
    "attacker_manifesto": "behaviour:attacker_manifesto",
    "manifesto": "behaviour:attacker_manifesto",
    "livestreamed_attack": "behaviour:livestreamed_attack",
    "livestream": "behaviour:livestreamed_attack",
    "branded_publication": "behaviour:branded_publication",
    "branded": "behaviour:branded_publication",
    "behavior:attacker_manifesto": "behaviour:attacker_manifesto",
    "behavior:livestreamed_attack": "behaviour:livestreamed_attack",
    "behavior:branded_publication": "behaviour:branded_publication",
    "benign": "known_benign",
}


class LabelError(ValueError):
    pass


def normalise_label(label: str) -> str:
    text = label.strip().lower().replace("-", "_") if not label.strip().lower().startswith("x-") else label.strip()
    if text.startswith("x-") and len(text) > 2 and text.isprintable() and len(text) <= 100:
        return text
    text = _ALIASES.get(text, text)
    if text not in TAXONOMY:
        raise LabelError(
            f"unknown label {label!r}; known: {', '.join(TAXONOMY)} (or a custom label starting with 'x-')"
        )
    return text


def normalise_labels(labels: list[str] | tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for label in labels:
        for part in split_labels(label):
            value = normalise_label(part)
            if value not in out:
                out.append(value)
    return out


def split_labels(text: str) -> list[str]:
    """'a;b', 'a|b', 'a b' and 'a,b' all name two labels."""
    for sep in (";", "|", ",", " "):
        text = text.replace(sep, "\n")
    return [part for part in text.split("\n") if part.strip()]
