"""Speech-verb rules: a postposed cue (`"...," X said`) or a preposed one (`X said that ...`)."""

from __future__ import annotations

import re

from index.extract import priorities as P
from index.extract.content import Collector, has_word
from index.extract.coref import Speaker
from index.extract.grammar import (
    ADVERBIAL_LEADS,
    AFTER_CUE,
    AFTER_CUE_WORDS,
    AUX,
    BE,
    CLAUSE_AFTER_QUOTE,
    DETERMINERS,
    EVIDENCE_NOUNS,
    NOT_ACTIVE,
    NOUNISH,
    OBJECT,
    OPEN_QUOTE,
    PARTICIPLE,
    SCAN,
    SPLIT_QUOTE,
    THAT,
    THAT_NEAR,
    TO,
    WH_CLAUSE,
    is_mark,
    post_tail,
    skip_space,
)
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import word_count
from index.extract.selection import named
from index.extract.subjects import SubjectRules
from index.extract.verb_records import NO_SUBJECT, Postposed, Subject, VerbCue

_AMOUNT = re.compile(
    r"\s*(?:about|almost|nearly|some|another|a\s+further)?\s*[£$€¥]?\d[\d.,]*\s*"
    r"(?:%|per\s?cent|percent|points?|pence|cents?|bn|m\b|million|billion|trillion)"
)

_BY_MEANS = re.compile(r" by (?:phone|telephone|e-?mail|text|video|satellite|letter|fax)\b")
# Verbs of asking that report an indirect question without an addressee.
_WH_LEMMAS = frozenset(["question", "wonder"])
# An addressee, then a colon and an opening quote mark.
_ADDRESSEE_COLON = re.compile(r"\s+[^\"“”„«:;.!?\n]{1,60}?(?=:\s*[\"“„«])")


# `tuple.__new__(NT, values)` builds a NamedTuple without the Python-level `__new__`
# its class call runs: these are built in the hot loops of every article.
_new_tuple = tuple.__new__


class VerbRules(Stage):
    """Turn one speech verb into statement candidates."""

    def __init__(self, text: PassText, out: Collector, subjects: SubjectRules) -> None:
        super().__init__(text)
        self.out = out
        self.subjects = subjects

    def verb(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        cue = self._cue(word, cs, ce, ss, se)
        if cue is None:
            return
        if (cue.participle or cue.chained) and not cue.nounish:
            # (neither reading looks at the subject before such a cue: no postposed one,
            # and the preposed one takes the main clause's subject; only `_reread` would,
            # and it reads a word that may be a noun)
            self._preposed(cue, NO_SUBJECT)
            return
        sub = _new_tuple(Subject, self.subjects.subject_or_antecedent(ss, cue.cs))
        if cue.nounish:  # (only a word that may be a noun is read again)
            cue = self._reread(cue, sub)
        done, sub = self._postposed(cue, sub)
        if not done:
            self._preposed(cue, sub)

    # -- the cue ------------------------------------------------------------------------
    def _cue(self, word: str, cs: int, ce: int, ss: int, se: int) -> VerbCue | None:
        """The cue's record, or None when it makes no statement (passive, negated)."""
        body = self.body
        lemma = self.table.forms.get(word, word)
        if body[max(ss, cs - 5) : cs].rstrip().endswith("to"):  # (`catenative_start`'s test)
            cs = self.subjects.catenative_start(ss, cs)  # "declined to say": subject before it
        prev = body[max(ss, cs - 12) : cs].split()
        progressive = word.endswith("ing") and bool(prev) and prev[-1] in BE
        if prev and prev[-1].lower() in NOT_ACTIVE and not progressive:
            return None
        if body.startswith(" by ", ce) and not _BY_MEANS.match(body, ce):
            return None  # passive: "as reported by X" (not `said by phone`)
        rest = body[ce:se].lstrip()
        if rest[:1] == ",":
            rest = rest[1:].lstrip()
        # (`AFTER_CUE` steps over white space, a comma and one of these words, or
        # matches nothing: a cue followed by none of them goes without the regex call)
        after = AFTER_CUE.match(body, ce, se) if rest.startswith(AFTER_CUE_WORDS) else None
        chained = bool(prev) and prev[-1].endswith(",") and self.subjects.statement_before(ss, cs)
        return _new_tuple(
            VerbCue,
            (
                word,
                lemma,
                cs,
                ce,
                ss,
                se,
                after.end() if after else ce,
                word.endswith("ing") and not progressive,
                word in NOUNISH,
                chained,
                lemma in self.table.classes.get("object", ()),
            ),
        )

    def _reread(self, cue: VerbCue, sub: Subject) -> VerbCue:
        """A word that may be a noun is a verb after evidence or between a quote and the
        sentence end."""
        body = self.body
        nounish = cue.nounish
        if nounish and sub.end > sub.start and cue.lemma in ("show", "find"):
            # "a poll shows Sanders leading", "records show ...": evidence speaks
            # (`the latest opinion poll released Friday shows`, `an analysis of filings
            # shows`: the evidence noun heads the phrase, wherever it stands in it)
            heads = SCAN.findall(body[sub.start : sub.end])
            nounish = not any(h.lower() in EVIDENCE_NOUNS for h in heads)
        if (
            nounish
            and sub.char
            and is_mark(sub.char)
            and sub.end > sub.start
            and post_tail(body, cue.ce, cue.se)
        ):
            nounish = False  # `"...," Ann Lee notes.`: between a quote and the end, a verb
        return cue if nounish == cue.nounish else cue._replace(nounish=nounish)

    # -- postposed: `"...," he said.` / `..., said the ministry` / `..., X told France 24.`
    def _postposed(self, cue: VerbCue, sub: Subject) -> tuple[bool, Subject]:
        """Whether a postposed reading made (or refused) the statement; the subject, which
        an apposition after a quote may have moved."""
        body = self.body
        postposable = (
            (sub.char == "," or (sub.char and is_mark(sub.char)))
            and not cue.participle
            and not cue.chained
            and not cue.nounish
            and not (  # (both patterns end in the word `that`)
                body.find("that", cue.pos, cue.se) >= 0
                and (THAT.match(body, cue.pos, cue.se) or THAT_NEAR.match(body, cue.pos, cue.se))
            )
        )
        if not postposable:
            return False, sub
        if sub.end <= sub.start and sub.char == ",":
            qi_before = self.out.quote_ending_before(cue.ss, sub.boundary)
            if qi_before is not None:
                app = self.subjects.apposition_subject(self.quotes[qi_before].end, sub.boundary)
                if app is not None:
                    sub = Subject(app[0], app[1], self.quotes[qi_before].end - 1, sub.char)
        parts = self._postposed_parts(cue, sub)
        if parts is None:
            return False, sub
        return self._postposed_statement(cue, sub, parts), sub

    def _postposed_parts(self, cue: VerbCue, sub: Subject) -> Postposed | None:
        body, se = self.body, cue.se
        classes = self.table.classes
        inverted = sub.end <= sub.start
        if inverted and (
            body[sub.boundary + 1 : cue.cs].strip()
            or cue.lemma not in classes.get("bare", ())
            or cue.lemma in classes.get("object", ())
        ):
            return None  # "The group, based in X, also reported ..." is preposed
        if inverted:
            a, b = self.subjects.subject_after(cue.pos, se)
            obj_end = b
            if self._named_then_apposition(cue, sub, a, b):
                return None
        else:
            a, b = sub.start, sub.end
            obj = OBJECT.match(body, cue.pos, se) if cue.object_verb else None
            obj_end = obj.end() if obj else cue.pos
        qi_next = None
        mq = SPLIT_QUOTE.match(body, obj_end, se)
        if mq:
            qi_next = self.out.quote_starting(mq.end(), 0)
        if qi_next is not None and not inverted and self.out.quote_ending(sub.boundary) is None:
            # `Asked about it, Trump replied, "..."`: no quote before, so the cue
            # introduces the quote after it
            return None
        return _new_tuple(Postposed, (a, b, obj_end, qi_next, inverted))

    def _named_then_apposition(self, cue: VerbCue, sub: Subject, a: int, b: int) -> bool:
        """`But Megan Hester, senior associate at X, said parents still want ...`: a
        sentence that opens with a name and a comma, then a cue followed by a lower-case
        clause, is the name's preposed statement with an apposition (rule
        `verb.apposition-before-cue`), not a quote with an inverted subject `said parents`."""
        body, ss = self.body, cue.ss
        words = body[a:b].split()
        verbal = any(w.lower() in AUX or w.endswith(("n't", "n’t")) for w in words[1:])
        if not words or not (verbal or words[0].islower()) or words[0] in DETERMINERS:
            return False  # `..., said the ministry`, `..., said analysts at X` stay inverted
        if word_count(body[b : cue.se]) > 0 and not post_tail(body, b, cue.se):
            return False
        comma = body.find(",", ss, sub.boundary + 1)
        if comma < 0 or word_count(body[ss:comma]) > 6:
            return False
        return any(
            e == comma and m.kind in ("person", "organization") and word_count(body[ss:s]) <= 4
            for s, e, m in self.resolver.mentions_in(ss, comma)
        )

    def _postposed_statement(self, cue: VerbCue, sub: Subject, parts: Postposed) -> bool:
        body, ss, se = self.body, cue.ss, cue.se
        a, b, obj_end, inverted = parts.a, parts.b, parts.obj_end, parts.inverted
        tail = post_tail(body, obj_end, se)
        if tail and inverted and any(w in AUX for w in SCAN.findall(body[obj_end:se])):
            # `X, a delegate, said the turmoil at the convention was ...`: a clause
            # follows the cue, so it is no inverted `..., said X in Y`
            tail = False
        tail_ok = (
            parts.qi_next is not None
            or bool(tail)
            or (inverted and body[obj_end : obj_end + 1] == "," and b > a)
        )
        if inverted and not any(w.lower() not in DETERMINERS for w in SCAN.findall(body[a:b])):
            tail_ok = False
        # (the word counts are read only after a comma, and the lead's at the end: counted
        # when first read)
        comma = not inverted and body[obj_end : obj_end + 1] == ","
        rest_words = word_count(body[obj_end:se]) if comma else 0
        lead_words = word_count(body[ss : sub.boundary]) if comma else -1
        aside = (
            comma
            and lead_words < 4
            and rest_words >= 4
            and self.out.quote_ending(sub.boundary) is None
        )
        if (
            (aside or not tail_ok)
            and comma
            and rest_words >= 3
            and b > a
            and self.subjects.plausible_subject(a, b)
            and not PARTICIPLE.match(body, obj_end, se)
        ):
            # parenthetical: "In the end, Mr. Rosenthal said, union voters ...", also
            # when what follows looks like an apposition ("..., X said, the media ...")
            speaker = self.subjects.speaker_for(a, b, near_end=True)
            self.out.add(
                ss,
                self.out.clause_end(obj_end + 1, se),
                cue.word,
                speaker,
                P.REPORTED_CLAUSE,
                rule="verb.parenthetical",
            )
            self.resolver.remember(cue.cs, speaker)
            return True
        if not (tail_ok and b > a and self.subjects.plausible_subject(a, b)):
            return False
        if lead_words < 0:
            lead_words = word_count(body[ss : sub.boundary])
        if not lead_words:
            return False
        speaker = self.subjects.speaker_for(a, b, near_end=not inverted)
        if not self._before_the_cue(cue, sub, speaker, lead_words):
            return True
        self.resolver.remember(cue.cs, speaker)
        if parts.qi_next is not None:  # split quote: `"...," he said, "..."`
            self.out.extend_last(parts.qi_next)
        return True

    def _before_the_cue(
        self, cue: VerbCue, sub: Subject, speaker: Speaker | None, lead_words: int
    ) -> bool:
        """The quote or the clause before a postposed cue as its statement (`lead_words`:
        the words of the sentence before the subject's boundary); False when there is none."""
        body, ss, boundary = self.body, cue.ss, sub.boundary
        qi = self.out.quote_ending(boundary)
        if qi is not None and (
            self.quotes[qi].start <= ss + 3
            or body[ss : self.quotes[qi].start].rstrip().endswith(":")
            or self.quotes[qi].words * 2 >= lead_words
        ):
            self.out.add_quote(
                qi, cue.word, speaker, P.INTRODUCED_QUOTE, rule="verb.postposed-quote"
            )
        elif cue.lemma in self.table.classes.get("quote", ()) or lead_words < 3:
            return False
        elif not any(
            ss <= c.cue_pos < boundary and c.cue and c.end >= boundary - 2 and c.kind == "direct"
            for c in self.out.candidates
        ):
            # (`X said Y "...," she said`: X's cue already took the clause)
            self.out.add(
                ss, boundary, cue.word, speaker, P.REPORTED_CLAUSE, rule="verb.postposed-clause"
            )
        return True

    # -- preposed: `X said (that) ...`, `X told reporters that ...`, `X said: "..."` ------
    def _preposed(self, cue: VerbCue, sub: Subject) -> None:
        found = self._preposed_speaker(cue, sub)
        if found is None:
            return
        start = self._content_start(cue)
        # (the speaker is read from the subject only when a statement is made: reading it
        # changes nothing, and most cues that get this far make none)
        if self._quote_after(cue, start, found):
            return
        body, se = self.body, cue.se
        if body[start:se].strip() == ":":
            # `X says:` ending a paragraph introduces the quote that opens the next one
            qi = self.out.quote_starting(skip_space(body, se), 0)
            if qi is not None:
                speaker = self._speaker(found)
                self.out.add_quote(
                    qi, cue.word, speaker, P.INTRODUCED_QUOTE, rule="verb.colon-paragraph"
                )
                self.resolver.remember(cue.cs, speaker)
            return
        if cue.lemma in self.table.classes.get("quote", ()) and not (
            cue.lemma in _WH_LEMMAS and WH_CLAUSE.match(body, start, se)
        ):
            return  # (`questioned whether ...`: an indirect question is the content)
        self._reported_clause(cue, start, found)

    def _speaker(self, found: tuple[int, int] | tuple[Speaker | None]) -> Speaker | None:
        """The speaker `_preposed_speaker` found: read off its subject span when it gave one."""
        if len(found) == 2:
            return self.subjects.speaker_for(found[0], found[1], near_end=True)
        return found[0]

    def _preposed_speaker(
        self, cue: VerbCue, sub: Subject
    ) -> tuple[int, int] | tuple[Speaker | None] | None:
        """(the speaker,) of a preposed cue, or the (start, end) of the subject it is read
        from (see `_speaker`), or None when the cue has no subject."""
        body, ss, cs = self.body, cue.ss, cue.cs
        toks_before = body[ss:cs].rsplit(None, 1)  # (only the last word is read)
        coordinated = (
            bool(toks_before)
            and (
                toks_before[-1] in ("and", "but")
                or (cue.participle and toks_before[-1].lower() in ADVERBIAL_LEADS)
            )
        ) or cue.chained
        if cue.participle and not body[ss:cs].rstrip().endswith(",") and not coordinated:
            return None
        if cue.participle or coordinated:
            return (self.subjects.main_subject(ss, cs),)
        start, end = sub.start, sub.end
        if end <= start and sub.char == ",":
            app = self.subjects.apposition_subject(ss, sub.boundary)
            if app is None:
                return None
            start, end = app
        if end <= start or not self.subjects.plausible_subject(start, end):
            return None
        return start, end

    def _content_start(self, cue: VerbCue) -> int:
        """Where the content starts: after the cue, past an addressee."""
        body, pos, se = self.body, cue.pos, cue.se
        start = pos
        if not cue.object_verb:
            return start
        obj = OBJECT.match(body, pos, se)
        if obj and (
            THAT.match(body, obj.end(), se)
            or OPEN_QUOTE.match(body, obj.end(), se)
            or TO.match(body, obj.end(), se)
            or cue.lemma == "tell"
            or WH_CLAUSE.match(body, obj.end(), se)
        ):
            start = obj.end()
        if cue.lemma == "tell" and not OPEN_QUOTE.match(body, start, se):
            # `told BBC Radio 4's Today programme: "..."`: a colon after the addressee
            # introduces the quote, whatever words the addressee has
            colon = _ADDRESSEE_COLON.match(body, pos, se)
            if colon and word_count(body[pos : colon.end()]) <= 8:
                start = colon.end()
        return start

    def _quote_after(
        self, cue: VerbCue, start: int, found: tuple[int, int] | tuple[Speaker | None]
    ) -> bool:
        """A quote opening the content: the statement (and the rest of its clause)."""
        body, se = self.body, cue.se
        mq = OPEN_QUOTE.match(body, start, se)
        qi = self.out.quote_starting(mq.end(), 0) if mq else None
        if qi is None or mq is None or mq.end() - start > 3:
            return False
        speaker = self._speaker(found)
        q = self.quotes[qi]
        if (
            not body[q.end : se].strip(" .,;:!?\"”'")
            or q.end >= se
            or CLAUSE_AFTER_QUOTE.match(body, q.end, se)
        ):
            self.out.add_quote(
                qi, cue.word, speaker, P.INTRODUCED_QUOTE, rule="verb.preposed-quote"
            )
        else:
            # `remarked, "..." and play a role ...`: the quoted passage, then the
            # reported rest of the clause as a second passage of the utterance
            self.out.add_quote(
                qi, cue.word, speaker, P.REPORTED_CLAUSE, rule="verb.quote-then-clause"
            )
            head = self.out.candidates[-1]
            self.out.add(
                q.end,
                self.out.clause_end(q.end, se),
                cue.word,
                speaker,
                P.REPORTED_CLAUSE,
                rule="verb.quote-then-clause",
                joins=[head],
            )
        self.resolver.remember(cue.cs, speaker)
        return True

    def _reported_clause(
        self, cue: VerbCue, start: int, found: tuple[int, int] | tuple[Speaker | None]
    ) -> None:
        """`X said (that) ...`, `X urged Y to ...`, `X asked if ...`; a stance verb's clause
        only for a named speaker."""
        body, se, lemma = self.body, cue.se, cue.lemma
        classes = self.table.classes
        # (both patterns end in the word `that`: a clause without it needs no regex call)
        that = (
            (THAT.match(body, start, se) or THAT_NEAR.match(body, start, se))
            if body.find("that", start, se) >= 0
            else None
        )
        if that:
            start = that.end()
        elif (
            TO.match(body, start, se) and lemma in classes.get("infinitive", ()) and not cue.nounish
        ):
            pass
        elif WH_CLAUSE.match(body, start, se) and (
            lemma in classes.get("object", ()) or lemma in _WH_LEMMAS
        ):
            # "asked the students if they were ...", "questioned how Labour would fund
            # its plans" (rule `verb.wh-question`): the question is the content
            pass
        elif cue.nounish:
            return
        elif lemma not in classes.get("bare", ()):
            speaker = self._speaker(found)
            if named(speaker):  # "Iran has pledged support": a stance of a named actor
                end = self.out.clause_end(start, se)
                if has_word(body, start, end):
                    self.out.add(
                        start, end, cue.word, speaker, P.STANCE, rule="verb.stance-of-named"
                    )
                    self.resolver.remember(cue.cs, speaker)
            return
        elif start < se and body[start] in ",.;:":
            return
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return
        if lemma == "add" and _AMOUNT.match(body, start, end):
            return  # `the DAX added 0.3 per cent`: a quantity, not a reported clause
        speaker = self._speaker(found)
        self.out.add(start, end, cue.word, speaker, P.REPORTED_CLAUSE, rule="verb.preposed-clause")
        self.resolver.remember(cue.cs, speaker)
