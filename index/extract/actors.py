"""find_actors: the people, organisations, countries and places named in an article body."""

from __future__ import annotations

from index.article import Actor
from index.extract.aliases import Mention, actor_key, resolve
from index.extract.candidates import Candidate, find_candidates
from index.extract.kinds import (
    COUNTRY,
    LEXICON,
    LEXICON_TABLE,
    ORG,
    PLACE,
    context_votes,
    is_acronym,
    segment,
)

_MAX_HEADLINE_PHRASE = 5


def _mentions(body: str, cands: list[Candidate]) -> tuple[list[Mention], list[Candidate]]:
    mentions: list[Mention] = []
    headlines: list[Candidate] = []
    titled = False
    prev_end = 0
    for cand in cands:
        if cand.headline:
            headlines.append(cand)
            titled = False
            continue
        carry = titled and body[prev_end : cand.start] in (", ", " ")
        pieces, titled = segment(body, cand, carry)
        prev_end = cand.end
        for p in pieces:
            if p.weight < 0:
                continue
            votes: list[tuple[str, int]] = [(p.kind, p.weight)] if p.kind else []
            if p.weight < LEXICON:
                votes.extend(context_votes(body, p.start, p.end))
            # A capital at a sentence start proves nothing: such a lone word must
            # be confirmed by a lexicon, an acronym or another mention.
            tentative = (
                cand.initial
                and p.start == cand.start
                and p.tokens == 1
                and p.weight < LEXICON
                and not p.acronym
            )
            mentions.append(
                Mention(p.start, p.end, body[p.start : p.end], tuple(votes), p.canon,
                        p.acronym, p.tokens, tentative)
            )
    return mentions, headlines


def _headline_mentions(
    body: str, headlines: list[Candidate], known: dict[str, Mention]
) -> list[Mention]:
    """Names inside headline-case lines: only those already known from the prose or a lexicon."""
    out: list[Mention] = []
    for cand in headlines:
        words = cand.words
        i = 0
        while i < len(words):
            hit = None
            for j in range(min(len(words), i + _MAX_HEADLINE_PHRASE), i, -1):
                start, end = words[i][0], words[j - 1][1]
                text = body[start:end]
                ref = known.get(actor_key(text))
                lex = LEXICON_TABLE.get(text)
                if ref is not None:
                    hit = Mention(start, end, text, ref.votes, ref.canon, ref.acronym,
                                  j - i, True)
                elif lex is not None and lex[0] in (COUNTRY, PLACE, ORG):
                    hit = Mention(start, end, text, ((lex[0], LEXICON),), lex[1],
                                  is_acronym(text), j - i, False)
                if hit is not None:
                    out.append(hit)
                    i = j
                    break
            else:
                i += 1
    return out


def find_actors(body: str) -> tuple[Actor, ...]:
    """Actors named in `body`, aliases merged, with exact mention offsets, most mentioned first."""
    if not body or not isinstance(body, str):
        return ()
    mentions, headlines = _mentions(body, find_candidates(body))
    if headlines:
        known: dict[str, Mention] = {}
        for m in mentions:
            if not m.tentative:
                known.setdefault(actor_key(m.text), m)
                parts = actor_key(m.text).split()
                if m.tokens >= 2 and parts and max(m.votes, default=("", 0), key=lambda v: v[1])[0] == "person":
                    # Headlines name people by surname ("Assad Vows Defeat").
                    known.setdefault(parts[-1], m._replace(tokens=1))
        mentions.extend(_headline_mentions(body, headlines, known))
        mentions.sort(key=lambda m: m.start)
    return resolve(body, mentions)
