"""Cue rules: what a speech verb, stance verb, saying noun or `according to` attributes."""

from __future__ import annotations

import re

from index.extract import priorities as P
from index.extract.content import Collector
from index.extract.coref import Speaker
from index.extract.grammar import (
    ADVERBIAL_LEADS,
    AFTER_CUE,
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
    PREPOSITIONS,
    SAY_GAP,
    SCAN,
    SKIP,
    SPLIT_QUOTE,
    THAT,
    THAT_NEAR,
    TO,
    UNSAID,
    WH_CLAUSE,
    is_mark,
    post_tail,
    skip_space,
)
from index.extract.pass_state import PassText, Stage
from index.extract.quotes import word_count
from index.extract.selection import named
from index.extract.subjects import SubjectRules

_AMOUNT = re.compile(
    r"\s*(?:about|almost|nearly|some|another|a\s+further)?\s*[£$€¥]?\d[\d.,]*\s*"
    r"(?:%|per\s?cent|percent|points?|pence|cents?|bn|m\b|million|billion|trillion)"
)
_NAME_NOUN = re.compile(r"\b(?:a|an|the)\s+[A-Z][\w'’-]*\s+$")
_BY_MEANS = re.compile(r" by (?:phone|telephone|e-?mail|text|video|satellite|letter|fax)\b")


_REFLEXIVES = frozenset(["itself", "himself", "herself", "themselves", "themself", "myself",
                         "ourselves", "yourself", "oneself"])
# An addressee, then a colon and an opening quote mark.
_ADDRESSEE_COLON = re.compile(r"\s+[^\"“”„«:;.!?\n]{1,60}?(?=:\s*[\"“„«])")


class CueRules(Stage):
    """Turn one cue occurrence into statement candidates."""

    def __init__(self, text: PassText, out: Collector, subjects: SubjectRules) -> None:
        super().__init__(text)
        self.out = out
        self.subjects = subjects

    def noun(self, word: str, cs: int, ce: int, ss: int, se: int) -> bool:
        """`Trump's claim that ...`, `his warning that ...`: the possessor is the source."""
        body = self.body
        toks = self.tokens(max(ss, cs - 80), cs)
        words = [t for t in toks if t[2][0].isalnum()]
        speaker: Speaker | None = None
        if words and words[-1][2].lower() in ("his", "her", "their", "its"):
            pron = {"his": "he", "her": "she", "their": "they", "its": "it"}[words[-1][2].lower()]
            speaker = self.resolver.resolve_pronoun(pron, words[-1][0])
        else:
            k = len(toks) - 1
            while k >= 0 and toks[k][2].islower() and not toks[k][2].endswith(("'s", "’s")) \
                    and k > len(toks) - 4:
                k -= 1  # adjectives: "Trump's recent evidence-free assertion"
            if (k >= 0 and toks[k][2] in ("'s", "’s", "'", "’")) or (
                    k >= 0 and toks[k][2].endswith(("'s", "’s"))):
                end = toks[k][1]
                poss_end = end - 2 if toks[k][2].endswith(("'s", "’s")) else toks[k][0]
                start, _e, _b, _c = self.subjects.subject_before(ss, toks[k][0])
                start = min(start, toks[k][0])
                if poss_end > start:
                    speaker = self.subjects.speaker_for(start, end, near_end=True)
        if speaker is None:
            return False
        start = body.find("that", ce) + 4
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return False
        self.out.add(start, end, word, speaker, P.STANCE, rule="noun-that")
        return True

    def stance(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        """`Obama endorsed Clinton`, `Trump called for a ban`: a stance verb whose subject is
        a named actor (or a pronoun resolving to one); the rest of the clause is the content."""
        body = self.body
        if self.unsaid(ss, cs, stance=True):
            return
        if self.noun_before_verb(word, ce, se) or (
                word == self.table.broad.get(word)
                and _NAME_NOUN.search(body, max(ss, cs - 40), cs)):
            # `a Clinton campaign event`: a base form after `a Name` is a noun
            return  # "the Clinton campaign also called ...": a noun, the verb comes next
        cs = self.subjects.catenative_start(ss, cs)
        prev = body[max(ss, cs - 12) : cs].split()
        if not prev or body.startswith(" by ", ce):
            return
        if prev[-1].lower() in NOT_ACTIVE and not (word.endswith("ing") and prev[-1] in BE):
            return
        if prev[-1] in ("and", "but") or (word.endswith("ing") and prev[-1].endswith(",")) or (
                prev[-1].endswith(",") and self.subjects.statement_before(ss, cs)):
            speaker = self.subjects.main_subject(ss, cs)
        else:
            sub_start, sub_end, boundary, bchar = self.subjects.subject_or_antecedent(ss, cs)
            if sub_end <= sub_start and bchar == ",":
                app = self.subjects.apposition_subject(ss, boundary)  # "X, who ..., described"
                if app is None:
                    return
                sub_start, sub_end = app
            if sub_end <= sub_start or not self.subjects.plausible_subject(sub_start, sub_end):
                return
            if word_count(body[sub_start:sub_end]) > 6 or \
                    body[sub_start:sub_end].split()[0].lower() in PREPOSITIONS:
                return  # "With Democratic leaders worried about ...": no subject
            speaker = self.subjects.speaker_for(sub_start, sub_end, near_end=True)
        if not named(speaker) or body[ce : ce + 2].strip()[:1] in (",", ".", ";", ":", ")"):
            return  # `where Trump spoke, ...`: the verb's clause ends at once
        start = ce
        that = THAT.match(body, start, se)
        if that:
            start = that.end()
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 1:
            return
        first = body[start:end].split(None, 1)[0].lower()
        if first in ("and", "or", "nor", "-", "--", "—"):
            # `the groups it supports and Russia`, `what it sees as a clear choice`: the
            # object went before the verb, so what follows is no content of it
            return
        if first in _REFLEXIVES and body[start:end].split()[1:2] == ["from"]:
            return  # `HTS has distanced itself from the group`: an act, not content
        self.out.add(start, end, word, speaker, P.STANCE, rule="stance")
        self.resolver.remember(cs, speaker)

    def noun_before_verb(self, word: str, ce: int, se: int) -> bool:
        """Whether a present-tense stance word (`campaign`, `support`) is a noun followed
        by the clause's verb: the next word, past adverbs, is a cue or an -ed verb."""
        if word.endswith(("ed", "ing")):
            return False
        prev = self.body[max(0, ce - len(word) - 30) : ce - len(word)].split()
        if not prev or not (prev[-1][:1].isupper() or prev[-1].lower() in DETERMINERS):
            return False
        for m in SCAN.finditer(self.body, ce, min(se, ce + 40)):
            nxt = m.group()
            if nxt in SKIP or nxt.endswith("ly"):
                continue
            return nxt in self.table.forms or nxt in self.table.broad or (
                nxt.islower() and nxt.endswith("ed"))
        return False

    def according_to(self, cs: int, ce: int, ss: int, se: int) -> None:
        body = self.body
        comma = body.find(",", ce, se)
        src_end = comma if comma > 0 else se
        while src_end > ce and body[src_end - 1] in ".;: \"”":
            src_end -= 1
        speaker = self.subjects.speaker_for(ce, src_end, near_end=False)
        before = body[ss:cs].rstrip()
        cue = "according to"
        after_words = word_count(body[comma + 1 : se]) if comma > 0 else 0
        if word_count(before) >= 2 and before.endswith(",") and after_words >= 3:
            # "At the heart of it, according to X, was a decision ...": the whole sentence
            self.out.add(ss, self.out.clause_end(comma + 1, se), cue, speaker, P.SOURCE_PHRASE,
                     rule="according-to.interposed")
        elif word_count(before) >= 3:
            self.out.add(ss, len(before.rstrip(",")) + ss, cue, speaker, P.SOURCE_PHRASE,
                     rule="according-to.after")
        elif word_count(before) == 0 and comma > 0:
            self.out.add(comma + 1, self.out.clause_end(comma + 1, se), cue, speaker, P.SOURCE_PHRASE,
                     rule="according-to.before")
        self.resolver.remember(cs, speaker)

    def unsaid(self, ss: int, cs: int, stance: bool = False) -> bool:
        """`won't say`, `declined to say`, `fair to say`, `you say`, `who they say they
        are`: no statement (for a stance verb, only the negated and refused ones)."""
        m = UNSAID.search(self.body, max(ss, cs - 40), cs)
        if m is not None and not (stance and m.group().strip().lower().startswith(
                ("you", "fair", "safe", "hard", "difficult", "easy", "true", "is ", "was ",
                 "would", "could", "might", "should"))):
            return True
        return not stance and self.body.startswith("say", cs) and \
            SAY_GAP.search(self.body, max(ss, cs - 30), cs) is not None

    def verb(self, word: str, cs: int, ce: int, ss: int, se: int) -> None:
        body = self.body
        if self.unsaid(ss, cs):
            return
        lemma = self.table.forms.get(word, word)
        classes = self.table.classes
        cs = self.subjects.catenative_start(ss, cs)  # "declined to say": the subject is before "declined"
        prev = body[max(ss, cs - 12) : cs].split()
        progressive = word.endswith("ing") and bool(prev) and prev[-1] in BE
        if prev and prev[-1].lower() in NOT_ACTIVE and not progressive:
            return
        if body.startswith(" by ", ce) and not _BY_MEANS.match(body, ce):
            return  # passive: "as reported by X" (not `said by phone`)
        nounish = word in NOUNISH
        participle = word.endswith("ing") and not progressive
        sub_start, sub_end, boundary, bchar = self.subjects.subject_or_antecedent(ss, cs)
        if nounish and sub_end > sub_start and lemma in ("show", "find"):
            # "a poll shows Sanders leading", "records show ...": evidence speaks
            heads = SCAN.findall(body[sub_start:sub_end])
            nounish = not (heads and heads[-1].lower() in EVIDENCE_NOUNS)
        if nounish and bchar and is_mark(bchar) and sub_end > sub_start and \
                post_tail(body, ce, se):
            nounish = False  # `"...," Ann Lee notes.`: between a quote and the end, a verb
        after = AFTER_CUE.match(body, ce, se)
        pos = after.end() if after else ce
        is_object_verb = lemma in classes.get("object", ())
        # -- postposed: `"...," he said.` / `..., said the ministry` / `..., X told France 24.`
        # `X suggested ..., called her "..."`: a second verb of the statement's subject
        chained = bool(prev) and prev[-1].endswith(",") and self.subjects.statement_before(ss, cs)
        postposable = (bchar == "," or (bchar and is_mark(bchar))) and not participle \
            and not chained \
            and not nounish and not THAT.match(body, pos, se) and not THAT_NEAR.match(body, pos, se)
        if postposable and sub_end <= sub_start and bchar == ",":
            qi_before = self.out.quote_ending_before(ss, boundary)
            if qi_before is not None:
                app = self.subjects.apposition_subject(self.quotes[qi_before].end, boundary)
                if app is not None:
                    sub_start, sub_end = app
                    boundary = self.quotes[qi_before].end - 1
        if postposable:
            inverted = sub_end <= sub_start
            if inverted and (body[boundary + 1 : cs].strip() or lemma not in classes.get("bare", ())
                             or lemma in classes.get("object", ())):
                postposable = False  # "The group, based in X, also reported ..." is preposed
        if postposable:
            if inverted:
                a, b = self.subjects.subject_after(pos, se)
                obj_end = b
            else:
                a, b = sub_start, sub_end
                obj = OBJECT.match(body, pos, se) if is_object_verb else None
                obj_end = obj.end() if obj else pos
            qi_next = None
            mq = SPLIT_QUOTE.match(body, obj_end, se)
            if mq:
                qi_next = self.out.quote_starting(mq.end(), 0)
            if qi_next is not None and not inverted and self.out.quote_ending(boundary) is None:
                # `Asked about it, Trump replied, "..."`: no quote before, so the cue
                # introduces the quote after it
                postposable = False
        if postposable:
            tail = post_tail(body, obj_end, se)
            if tail and inverted and any(w in AUX for w in SCAN.findall(body[obj_end:se])):
                # `X, a delegate, said the turmoil at the convention was ...`: a clause
                # follows the cue, so it is no inverted `..., said X in Y`
                tail = False
            tail_ok = qi_next is not None or bool(tail) or (
                inverted and body[obj_end : obj_end + 1] == "," and b > a)
            if inverted and not any(w.lower() not in DETERMINERS
                                    for w in SCAN.findall(body[a:b])):
                tail_ok = False
            rest_words = word_count(body[obj_end:se])
            lead_words = word_count(body[ss:boundary])
            aside = (not inverted and body[obj_end : obj_end + 1] == "," and lead_words < 4
                     and rest_words >= 4 and self.out.quote_ending(boundary) is None)
            if ((aside or not tail_ok) and not inverted and body[obj_end : obj_end + 1] == ","
                    and rest_words >= 3 and b > a and self.subjects.plausible_subject(a, b)
                    and not PARTICIPLE.match(body, obj_end, se)):
                # parenthetical: "In the end, Mr. Rosenthal said, union voters ...", also
                # when what follows looks like an apposition ("..., X said, the media ...")
                speaker = self.subjects.speaker_for(a, b, near_end=True)
                self.out.add(ss, self.out.clause_end(obj_end + 1, se), word, speaker, P.REPORTED_CLAUSE,
                         rule="verb.parenthetical")
                self.resolver.remember(cs, speaker)
                return
            if tail_ok and b > a and self.subjects.plausible_subject(a, b) and word_count(body[ss:boundary]):
                speaker = self.subjects.speaker_for(a, b, near_end=not inverted)
                qi = self.out.quote_ending(boundary)
                if qi is not None and (
                    self.quotes[qi].start <= ss + 3
                    or body[ss : self.quotes[qi].start].rstrip().endswith(":")
                    or self.quotes[qi].words * 2 >= word_count(body[ss:boundary])
                ):
                    self.out.add_quote(qi, word, speaker, P.INTRODUCED_QUOTE, rule="verb.postposed-quote")
                elif lemma in classes.get("quote", ()) or word_count(body[ss:boundary]) < 3:
                    return
                elif not any(ss <= c.cue_pos < boundary and c.cue and c.end >= boundary - 2
                             and c.kind == "direct" for c in self.out.candidates):
                    # (`X said Y "...," she said`: X's cue already took the clause)
                    self.out.add(ss, boundary, word, speaker, P.REPORTED_CLAUSE,
                             rule="verb.postposed-clause")
                self.resolver.remember(cs, speaker)
                if qi_next is not None:  # split quote: `"...," he said, "..."`
                    self.out.extend_last(qi_next)
                return
        # -- preposed: `X said (that) ...`, `X told reporters that ...`, `X said: "..."`
        toks_before = body[ss:cs].split()
        coordinated = (bool(toks_before) and (toks_before[-1] in ("and", "but") or (
            participle and toks_before[-1].lower() in ADVERBIAL_LEADS))) or chained
        if participle and not body[ss:cs].rstrip().endswith(",") and not coordinated:
            return
        if participle or coordinated:
            speaker = self.subjects.main_subject(ss, cs)
        else:
            if sub_end <= sub_start and bchar == ",":
                app = self.subjects.apposition_subject(ss, boundary)
                if app is None:
                    return
                sub_start, sub_end = app
            if sub_end <= sub_start or not self.subjects.plausible_subject(sub_start, sub_end):
                return
            speaker = self.subjects.speaker_for(sub_start, sub_end, near_end=True)
        start = pos
        if is_object_verb:
            obj = OBJECT.match(body, pos, se)
            if obj and (THAT.match(body, obj.end(), se) or OPEN_QUOTE.match(body, obj.end(), se)
                        or TO.match(body, obj.end(), se) or lemma == "tell"
                        or WH_CLAUSE.match(body, obj.end(), se)):
                start = obj.end()
            if lemma == "tell" and not OPEN_QUOTE.match(body, start, se):
                # `told BBC Radio 4's Today programme: "..."`: a colon after the addressee
                # introduces the quote, whatever words the addressee has
                colon = _ADDRESSEE_COLON.match(body, pos, se)
                if colon and word_count(body[pos : colon.end()]) <= 8:
                    start = colon.end()
        mq = OPEN_QUOTE.match(body, start, se)
        qi = self.out.quote_starting(mq.end(), 0) if mq else None
        if qi is not None and mq is not None and mq.end() - start <= 3:
            q = self.quotes[qi]
            if (not body[q.end : se].strip(" .,;:!?\"”'") or q.end >= se
                    or CLAUSE_AFTER_QUOTE.match(body, q.end, se)):
                self.out.add_quote(qi, word, speaker, P.INTRODUCED_QUOTE, rule="verb.preposed-quote")
            else:
                # `remarked, "..." and play a role ...`: the quoted passage, then the
                # reported rest of the clause as a second passage of the utterance
                self.out.add_quote(qi, word, speaker, P.REPORTED_CLAUSE, rule="verb.quote-then-clause")
                head = self.out.candidates[-1]
                self.out.add(q.end, self.out.clause_end(q.end, se), word, speaker, P.REPORTED_CLAUSE,
                         rule="verb.quote-then-clause", joins=[head])
            self.resolver.remember(cs, speaker)
            return
        if body[start:se].strip() == ":":
            # `X says:` ending a paragraph introduces the quote that opens the next one
            qi = self.out.quote_starting(skip_space(body, se), 0)
            if qi is not None:
                self.out.add_quote(qi, word, speaker, P.INTRODUCED_QUOTE, rule="verb.colon-paragraph")
                self.resolver.remember(cs, speaker)
            return
        if lemma in classes.get("quote", ()):
            return
        that = THAT.match(body, start, se) or THAT_NEAR.match(body, start, se)
        if that:
            start = that.end()
        elif TO.match(body, start, se) and lemma in classes.get("infinitive", ()) and not nounish:
            pass
        elif WH_CLAUSE.match(body, start, se) and lemma in classes.get("object", ()):
            pass  # "asked the students if they were ...": the question is the content
        elif nounish:
            return
        elif lemma not in classes.get("bare", ()):
            if named(speaker):  # "Iran has pledged support": a stance of a named actor
                end = self.out.clause_end(start, se)
                if word_count(body[start:end]) >= 1:
                    self.out.add(start, end, word, speaker, P.STANCE, rule="verb.stance-of-named")
                    self.resolver.remember(cs, speaker)
            return
        elif start < se and body[start] in ",.;:":
            return
        end = self.out.clause_end(start, se)
        if word_count(body[start:end]) < 3:
            return
        if lemma == "add" and _AMOUNT.match(body, start, end):
            return  # `the DAX added 0.3 per cent`: a quantity, not a reported clause
        self.out.add(start, end, word, speaker, P.REPORTED_CLAUSE, rule="verb.preposed-clause")
        self.resolver.remember(cs, speaker)
