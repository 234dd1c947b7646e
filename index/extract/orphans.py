"""Quotes no cue introduced: continuations, colon leads and quotes inside a clause."""

from __future__ import annotations

from bisect import bisect_left

from index.extract import priorities as P
from index.extract.content import Collector
from index.extract.coref import (
    PRONOUNS,
    Speaker,
    tag,
)
from index.extract.grammar import (
    ADVERBIAL_LEADS,
    BE,
    BOUNDARY,
    BYLINE,
    DASH_LEAD,
    ED_ADJECTIVES,
    NOT_ACTIVE,
    NOT_SAYING,
    SIGNED_AFTER,
    THAT,
    is_mark,
)
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import MIN_PARTIAL_WORDS, MIN_STANDALONE_WORDS
from index.extract.selection import Candidate, named
from index.extract.subjects import SubjectRules


class OrphanRules(Stage):
    """Attribute the quotes no cue rule took."""

    def __init__(self, text: PassText, out: Collector, subjects: SubjectRules) -> None:
        super().__init__(text)
        self.out = out
        self.subjects = subjects

    # -- quotes nobody introduced --------------------------------------------------------
    def orphans(self) -> None:
        body = self.body
        spans = sorted((c.start, c.end) for c in self.out.candidates)
        starts = [s for s, _ in spans]
        starts_at = {c.start for c in self.out.candidates}
        for qi, q in enumerate(self.quotes):
            si = self.resolver.sentence_index(q.start)
            ss, se = self.sentences[si] if self.sentences else (0, len(body))
            if q.inner_start not in starts_at and self.dash_lead(qi, ss):
                continue
            if qi in self.out.used_quotes:
                continue
            i = bisect_left(starts, q.inner_start + 1) - 1
            if i >= 0 and spans[i][1] >= q.inner_end:
                continue  # inside a reported clause already
            if self.out.reopened_passage(qi):
                continue
            lead = body[ss : q.start].strip()
            if not lead:
                byline = BYLINE.match(body, q.end)
                if byline is not None and q.words >= MIN_PARTIAL_WORDS:
                    # `"..." ― Sonya Herridge`: a signed quote, as in reader-comment roundups
                    speaker = self.subjects.speaker_for(*byline.span("name"), near_end=True)
                    self.out.cue_pos = byline.start("dash")
                    self.out.add_quote(
                        qi, byline.group("dash"), speaker, P.SOURCE_PHRASE, rule="orphan.byline"
                    )
                    self.resolver.remember(byline.start("name"), speaker)
                    continue
                signed = SIGNED_AFTER.match(body, q.end, se)
                verb = signed and (signed.group("verb") or signed.group("verb2"))
                if signed is not None and verb and verb not in NOT_SAYING:
                    # `"This is fantastic!" beamed Don Hart` / `"...," Hart beamed.`: an
                    # unlisted verb between the quote and a name still attributes it
                    who = "name" if signed.group("name") else "name2"
                    speaker = self.subjects.speaker_for(*signed.span(who), near_end=False)
                    if named(speaker):
                        self.out.cue_pos = signed.start(who)
                        self.out.add_quote(
                            qi, verb, speaker, P.SOURCE_PHRASE, rule="orphan.unlisted-verb"
                        )
                        self.resolver.remember(signed.start(who), speaker)
                        continue
                if q.words < MIN_STANDALONE_WORDS and body[q.end : se].strip(" .,;:!?)"):
                    continue  # a short quote opening a sentence about something else
                # A quote standing as its own sentence continues the previous speaker; in
                # the same paragraph it is the same utterance (`"A," he said. "B."`).
                if self.out.extend_last(qi) or self.out.extend_next(qi):
                    continue
                self.out.add_quote(
                    qi,
                    None,
                    self.previous_speaker(q.start),
                    P.UNINTRODUCED,
                    rule="orphan.previous-speaker",
                )
                continue
            if lead.endswith(":") and q.words >= MIN_PARTIAL_WORDS:
                # "he gave the Texan a back-handed compliment: "..."": the clause's subject
                speaker = self.subjects.main_subject(ss, q.start)
                if speaker is not None:
                    self.out.add_quote(
                        qi, None, speaker, P.UNINTRODUCED, rule="orphan.colon-clause"
                    )
                    continue
            if self.verb_before(qi, ss, se):
                continue
            if q.words >= MIN_STANDALONE_WORDS:
                self.out.add_quote(
                    qi,
                    None,
                    self.subjects.main_subject(ss, q.start),
                    P.UNINTRODUCED,
                    rule="orphan.clause-subject",
                )

    def verb_before(self, qi: int, ss: int, se: int) -> bool:
        """A quote inside a clause nobody attributed (`X decried the "systemic racism"`):
        the nearest verb before it and that verb's subject make the statement."""
        body = self.body
        q = self.quotes[qi]
        toks = self.tokens(max(ss, q.start - 160), q.start)
        forms, broad = self.table.forms, self.table.broad
        for k in range(len(toks) - 1, max(-1, len(toks) - 24), -1):
            s, e, tok = toks[k]
            if tok in BOUNDARY or is_mark(tok):
                if tok in ",":
                    continue
                return False
            if (
                tok.islower()
                and tok.endswith("ing")
                and len(tok) > 4
                and all(t[2] == "," for t in toks[k + 1 :])
            ):
                # `chanting "U-S-A!"`, `by saying "Too many."`: a participle governing the
                # quote; its subject is the clause's
                return self.participle_quote(qi, k, toks, ss, se)
            if (
                tok.islower()
                and tok.endswith("ing")
                and len(tok) > 4
                and k > 0
                and (toks[k - 1][2] == "," or toks[k - 1][2].lower() in ADVERBIAL_LEADS)
            ):
                # `X is questioning ..., encouraging his supporters to make sure it is "..."`
                return self.participle_clause(qi, k, toks, ss, se)
            known = tok in forms or tok in broad
            third = (
                tok.islower()
                and tok.endswith("s")
                and not tok.endswith("ss")
                and k > 0
                and (toks[k - 1][2][:1].isupper() or toks[k - 1][2].lower() in PRONOUNS)
            )
            if (
                not known
                and not third
                and not (
                    tok.islower()
                    and tok.endswith("ed")
                    and len(tok) > 4
                    and tok not in ED_ADJECTIVES
                )
            ):
                continue
            prev = body[max(ss, s - 12) : s].split()
            if prev and prev[-1].lower() in NOT_ACTIVE:
                continue  # a noun ("the issue") or a passive, not the clause's verb
            if q.words < 2 and not known:
                return False  # a one-word scare quote after an ordinary verb
            sub_start, sub_end, _b, _c = self.subjects.subject_or_antecedent(ss, s)
            if sub_end <= sub_start or not self.subjects.plausible_subject(sub_start, sub_end):
                return False
            speaker = self.subjects.speaker_for(sub_start, sub_end, near_end=True)
            if not named(speaker):
                return False
            start = e
            that = THAT.match(body, start, se)
            if that:
                start = that.end()
            end = self.out.clause_end(start, se)
            if end <= q.start:
                return False
            self.out.cue_pos = s
            self.out.add(start, end, tok, speaker, P.STANCE, rule="orphan.verb-before")
            return True
        return False

    def dash_lead(self, qi: int, ss: int) -> bool:
        """`including Mitt Romney -- "It is disqualifying ..."`: a name and a dash
        introduce the quote (a statement of its own, even inside another's content)."""
        q = self.quotes[qi]
        if q.words < MIN_PARTIAL_WORDS:
            return False
        m = DASH_LEAD.search(self.body, max(ss, q.start - 8), q.start)
        if m is None:
            return False
        found = [
            mt
            for mt in self.resolver.mentions_in(max(ss, m.start() - 60), m.start())
            if mt[1] >= m.start() - 1 and mt[2].kind in ("person", "organization")
        ]
        if not found:
            return False
        speaker = Speaker(found[-1][2].name, found[-1][2].kind)
        self.out.cue_pos = m.start()
        self.out.add_quote(qi, m.group().strip(), speaker, P.SOURCE_PHRASE, rule="orphan.dash-lead")
        self.resolver.remember(m.start(), speaker)
        return True

    def participle_quote(
        self, qi: int, k: int, toks: list[tuple[int, int, str]], ss: int, se: int
    ) -> bool:
        """Quote `qi` right after the participle toks[k]: a statement of the clause's
        subject (`were chanting "..."` takes the subject before the auxiliary)."""
        s, _e, tok = toks[k]
        prev = toks[k - 1][2].lower() if k > 0 else ""
        if prev in BE:
            sub_start, sub_end, _b, _c = self.subjects.subject_or_antecedent(ss, toks[k - 1][0])
            if sub_end <= sub_start or not self.subjects.plausible_subject(sub_start, sub_end):
                return False
            speaker = self.subjects.speaker_for(sub_start, sub_end, near_end=True)
        else:
            speaker = self.subjects.main_subject(ss, s)
        q = self.quotes[qi]
        if not named(speaker) and q.words < MIN_PARTIAL_WORDS:
            return False
        self.out.cue_pos = s
        # the clause after the participle ("saying "of course" Clinton has ...")
        self.out.add(
            q.start,
            max(q.end, self.out.clause_end(q.start, se)),
            tok,
            speaker,
            P.STANCE,
            rule="orphan.participle-quote",
        )
        self.resolver.remember(s, speaker)
        return True

    def participle_clause(
        self, qi: int, k: int, toks: list[tuple[int, int, str]], ss: int, se: int
    ) -> bool:
        """Quote `qi` inside the clause of the participle toks[k] (after a comma or
        `despite`/`by`...): the main subject's statement, from the participle's object."""
        s, e, tok = toks[k]
        speaker = self.subjects.main_subject(ss, s)
        if not named(speaker):
            return False
        end = self.out.clause_end(e, se)
        if end <= self.quotes[qi].start:
            return False
        self.out.cue_pos = s
        self.out.add(e, end, tok, speaker, P.STANCE, rule="orphan.participle-clause")
        self.resolver.remember(s, speaker)
        return True

    def previous_speaker(self, pos: int) -> Speaker | None:
        """The speaker of the closest earlier statement in this or the previous paragraph."""
        body = self.body
        par_start = body.rfind("\n", 0, pos)
        prev_par = body.rfind("\n", 0, max(0, par_start - 1)) if par_start > 0 else -1
        floor = max(prev_par, pos - 800)
        best: Candidate | None = None
        for c in self.out.candidates:
            if floor <= c.end <= pos and (best is None or c.end > best.end):
                best = c
        return tag(best.speaker, "previous-speaker") if best else None
