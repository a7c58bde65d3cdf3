"""SECRET and TOP SECRET as markings are caught; the ordinary word is not."""

from __future__ import annotations

import pytest

from meeting.classification import SECRET, TOP_SECRET, classification_marking, refusal_message


@pytest.mark.parametrize(
    "text",
    [
        "TOP SECRET",
        "top secret: the source says",
        "Top-Secret//STRAP1 detail",
        "TOP\u200bSECRET hidden with a zero-width space",
        "this is top secret stuff",
    ],
)
def test_top_secret_in_any_form(text: str) -> None:
    assert classification_marking(text) == TOP_SECRET


@pytest.mark.parametrize(
    "text",
    [
        "SECRET",
        "UK SECRET detail",
        "uk secret detail",
        "SECRET//NOFORN",
        "secret// releasable",
        "EVENT | drugs | 2240 | SECRET: source says",
        "classification: secret",
        "Classification = Secret",
        "classified as secret, do not share",
        "protective marking SECRET",
        "[secret] handle with care",
        "(Secret) shipment",
        "Secret: the source reports",
        "secret - uk eyes only",
        "SECRET UK EYES ONLY",
        "ＳＥＣＲＥＴ in full-width letters",
    ],
)
def test_secret_as_a_marking(text: str) -> None:
    assert classification_marking(text) == SECRET


@pytest.mark.parametrize(
    "text",
    [
        "The secretary of the working group called",
        "a secret meeting of the gang was overheard",
        "Secret Service liaison confirmed the visit",
        "THE SECRET SERVICE liaison",
        "Secrets Act caution given",
        "OFFICIAL-SENSITIVE: the search found two firearms",
        "secretly recorded conversation",
        "EVENT | drugs | 2240 | raid at Secretan Road",
        "",
    ],
)
def test_ordinary_words_are_not_markings(text: str) -> None:
    assert classification_marking(text) is None


def test_the_refusal_explains_without_echoing() -> None:
    message = refusal_message(TOP_SECRET)
    assert "TOP SECRET" in message and "must never be posted" in message
    assert "OFFICIAL" in message and "delete" in message
