"""Statements: quotes, attribution, coreference, and the seeds' statements pinned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.extract import extract, find_statements
from index.extract.quotes import find_quotes
from index.records import Actor, Article, Statement

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def actor(body: str, name: str, kind: str, *surfaces: str) -> Actor:
    """An Actor for `name` with a mention at every occurrence of it and its surfaces."""
    mentions = sorted(m.span() for s in (name, *surfaces) for m in re.finditer(re.escape(s), body))
    return Actor(name, kind, tuple(surfaces), tuple(mentions))


def statements(body: str, *actors: Actor) -> tuple[Statement, ...]:
    found = find_statements(body, actors)
    for s in found:
        assert body[s.start : s.end] == s.text
    return found


def one(found: tuple[Statement, ...], fragment: str) -> Statement:
    hits = [s for s in found if fragment in s.text]
    assert len(hits) == 1, (fragment, found)
    return hits[0]


# -- quotes --------------------------------------------------------------------------


def test_straight_curly_and_doubled_apostrophe_quotes() -> None:
    body = "He said \"one two three\" and “four five six” and ''seven eight nine'' too."
    assert [body[q.inner_start : q.inner_end] for q in find_quotes(body)] == [
        "one two three",
        "four five six",
        "seven eight nine",
    ]


def test_quote_spans_include_marks_and_inner_excludes_them_and_the_comma() -> None:
    body = '"We will fight," he said.'
    (q,) = find_quotes(body)
    assert body[q.start : q.end] == '"We will fight,"'
    assert body[q.inner_start : q.inner_end] == "We will fight"
    assert q.closed and q.words == 3


def test_multi_paragraph_quote_is_one_passage_per_paragraph() -> None:
    body = '"This is the first part.\n"And this is the second," she said.\nNext paragraph.'
    first, second = find_quotes(body)
    assert body[first.inner_start : first.inner_end] == "This is the first part."
    assert not first.closed and not first.reopens
    assert body[second.inner_start : second.inner_end] == "And this is the second"
    assert second.closed and second.reopens


def test_multi_paragraph_quote_gives_two_passages_of_one_utterance() -> None:
    body = (
        'Ann Lee said: "This is the first part of it.\n'
        '"And this is the second part of it."\nNext paragraph.'
    )
    a, b = statements(body, actor(body, "Ann Lee", "person"))
    assert (a.text, b.text) == (
        "This is the first part of it.",
        "And this is the second part of it.",
    )
    assert a.kind == b.kind == "direct" and a.utterance == b.utterance
    assert a.speaker == b.speaker == "Ann Lee"


def test_continuation_passages_are_statements_of_one_utterance() -> None:
    body = (
        'The minister spoke on Monday. "We are ready to act now," Ann Lee said. '
        '"The plan works and it will keep working."\n'
        '"Ask anyone in town about it," Lee said, "and they will tell you the same."\n'
        'Bob Stone said the plan was costly. "It will not work at all," he said. '
        'The crowd left the hall in silence after that. "Nobody listens to us any more."'
    )
    found = statements(
        body, actor(body, "Ann Lee", "person", "Lee"), actor(body, "Bob Stone", "person")
    )
    ready, plan = one(found, "We are ready"), one(found, "The plan works")
    assert ready.text == "We are ready to act now" and plan.text.startswith("The plan works")
    assert ready.utterance == plan.utterance and plan.speaker == "Ann Lee"
    ask, same = one(found, "Ask anyone"), one(found, "they will tell")
    assert ask.utterance == same.utterance != ready.utterance
    assert same.speaker == "Ann Lee" and same.kind == "direct"
    work, nobody = one(found, "It will not work"), one(found, "Nobody listens")
    # a sentence of narrative in between: a new utterance
    assert work.speaker == "Bob Stone" and nobody.utterance != work.utterance
    assert len({s.utterance for s in found}) == len({(s.utterance, s.start) for s in found}) - 2


def test_unclosed_quote_runs_to_the_paragraph_end_and_stray_closers_are_ignored() -> None:
    body = "He said “this never closes\nand here” is a stray mark."
    (q,) = find_quotes(body)
    assert not q.closed
    assert body[q.inner_start : q.inner_end] == "this never closes"


def test_misturned_marks_still_pair() -> None:
    body = "Intro.\n”Fear is what I feel,” she wrote.\nAn “expedited review“ of the pipes."
    assert [body[q.inner_start : q.inner_end] for q in find_quotes(body)] == [
        "Fear is what I feel",
        "expedited review",
    ]


def test_a_label_quoted_after_a_stance_verb_with_a_named_subject_is_a_statement() -> None:
    body = (
        'Tom Reyes called her "weak" on Monday.\n'
        'The group was classified as a "terrorist" organization by the court.'
    )
    found = statements(body, actor(body, "Tom Reyes", "person"))
    called = one(found, '"weak"')
    assert (called.speaker, called.cue) == ("Tom Reyes", "called")
    assert not [s for s in found if "terrorist" in s.text]


# -- attribution -------------------------------------------------------------------------


def test_postposed_cue_with_pronoun_resolves_to_the_previous_subject() -> None:
    body = (
        "Special Envoy Geir Pedersen urged restraint on Monday.\n"
        '"The latest developments pose severe risks," he said.'
    )
    s = one(statements(body, actor(body, "Geir Pedersen", "person")), "latest developments")
    assert s == Statement(
        "Geir Pedersen",
        "The latest developments pose severe risks",
        "direct",
        "said",
        body.index("The latest"),
        body.index(' risks,"') + 6,
        utterance=1,
    )


def test_it_stated_and_inverted_added_the_ministry() -> None:
    body = (
        "The Syrian Defense Ministry stated in a release that the claims are false.\n"
        '"Our forces hold their posts," it stated.\n'
        '"We will reclaim all territory," added the ministry in a separate statement.'
    )
    ministry = actor(body, "Syrian Defense Ministry", "organization")
    found = statements(body, ministry)
    assert one(found, "the claims are false").kind == "indirect"
    assert one(found, "Our forces").speaker == "Syrian Defense Ministry"
    assert one(found, "Our forces").cue == "stated"
    added = one(found, "reclaim all territory")
    assert (added.speaker, added.cue, added.kind) == ("Syrian Defense Ministry", "added", "direct")


def test_told_an_outlet_after_a_quote_and_told_reporters_that() -> None:
    body = (
        '"Hama is the trial by fire," analyst Farid Kahhat told France 24.\n'
        "Araghchi told reporters that Tehran will support the government."
    )
    found = statements(
        body,
        actor(body, "Farid Kahhat", "person"),
        actor(body, "Abbas Araghchi", "person", "Araghchi"),
    )
    assert one(found, "trial by fire").speaker == "Farid Kahhat"
    told = one(found, "Tehran")
    assert told.text == "Tehran will support the government"
    assert (told.speaker, told.kind, told.cue) == ("Abbas Araghchi", "indirect", "told")


def test_split_quote_is_two_passages_of_one_utterance_with_its_speaker() -> None:
    body = '"We will not stop," Smith said, "until the last village is free."'
    a, b = statements(body, actor(body, "John Smith", "person", "Smith"))
    assert a.speaker == b.speaker == "John Smith" and a.kind == b.kind == "direct"
    assert (a.text, b.text) == ("We will not stop", "until the last village is free.")
    assert a.utterance == b.utterance and (a.cue, b.cue) == ("said", None)


def test_quote_continuing_in_the_next_sentence_stays_with_its_speaker() -> None:
    body = '"It was a mistake," Jones said. "We should never have voted for it."'
    a, b = statements(body, actor(body, "Ann Jones", "person", "Jones"))
    assert a.speaker == b.speaker == "Ann Jones" and a.utterance == b.utterance
    assert b.text == "We should never have voted for it."


def test_colon_and_comma_before_a_quote() -> None:
    body = 'Al-Sudani remarked, "Security is tied to Iraq\'s security."\nLee added: "Peace now."'
    found = statements(
        body,
        actor(body, "Mohammed Shia' al-Sudani", "person", "Al-Sudani"),
        actor(body, "Lee Kim", "person", "Lee"),
    )
    assert one(found, "Security is tied").speaker == "Mohammed Shia' al-Sudani"
    assert one(found, "Peace now").speaker == "Lee Kim"


def test_according_to_before_and_after_the_content() -> None:
    body = (
        "According to the state news agency SANA, the army pushed back insurgents.\n"
        "More than 400 people have died, according to the Syrian Observatory."
    )
    found = statements(
        body, actor(body, "SANA", "organization"), actor(body, "Syrian Observatory", "organization")
    )
    first = one(found, "pushed back")
    assert (first.speaker, first.cue, first.text) == (
        "SANA",
        "according to",
        "the army pushed back insurgents",
    )
    second = one(found, "400 people")
    assert (second.speaker, second.text) == ("Syrian Observatory", "More than 400 people have died")


def test_reported_speech_with_that_and_without() -> None:
    body = (
        "The Russian Defense Ministry reported that its air force struck rebel positions.\n"
        "Turkish officials said the offensive had been limited at first."
    )
    found = statements(body, actor(body, "Russian Defense Ministry", "organization"))
    reported = one(found, "air force")
    assert reported.text == "its air force struck rebel positions"
    assert reported.speaker == "Russian Defense Ministry" and reported.kind == "indirect"
    said = one(found, "offensive had been limited")
    assert said.speaker == "Turkish officials" and said.kind == "indirect"


def test_reported_clause_holding_quoted_fragments_is_one_indirect_statement() -> None:
    body = (
        "President Assad vowed to keep defending Syria's \"stability and territorial "
        'integrity" against terrorists.'
    )
    (s,) = statements(body, actor(body, "Bashar al-Assad", "person", "Assad"))
    assert s.speaker == "Bashar al-Assad" and s.kind == "indirect"
    assert '"stability and territorial integrity"' in s.text


def test_a_quoted_complement_is_direct_without_its_marks() -> None:
    body = 'Al-Sudani remarked, "Security is tied to ours." Ann Lee said "We won."'
    found = statements(body, actor(body, "Al-Sudani", "person"), actor(body, "Ann Lee", "person"))
    assert [(s.text, s.kind) for s in found] == [
        ("Security is tied to ours.", "direct"),
        ("We won.", "direct"),
    ]


def test_scare_quotes_are_not_statements() -> None:
    body = (
        'HTS remains classified as a "terrorist" organization by the United States.\n'
        'The rebels called it a "trial by fire" for the government.'
    )
    found = statements(body, actor(body, "HTS", "organization"))
    assert not [s for s in found if s.kind == "direct"]
    assert not [s for s in found if s.text in ("terrorist", "trial by fire")]


def test_nominal_mention_resolves_through_the_title_before_a_name() -> None:
    body = (
        "Syrian President Bashar al-Assad spoke on Saturday and Iraqi Prime Minister "
        "Mohammed al-Sudani called him.\n"
        "The Syrian president added that he is capable of defeating them."
    )
    found = statements(
        body,
        actor(body, "Bashar al-Assad", "person"),
        actor(body, "Mohammed al-Sudani", "person"),
    )
    assert one(found, "capable of defeating").speaker == "Bashar al-Assad"


def test_they_resolves_to_the_previous_organisation() -> None:
    body = (
        "The Syrian Democratic Forces said they face an offensive.\n"
        '"We will defend our areas," they said.'
    )
    found = statements(body, actor(body, "Syrian Democratic Forces", "organization"))
    assert one(found, "defend our areas").speaker == "Syrian Democratic Forces"


def test_unresolved_speakers_stay_none_and_descriptions_stay_descriptions() -> None:
    body = (
        '"We are ready," he said.\nThe ministry added that talks had failed.\n'
        "A BBC spokeswoman said the show would go on."
    )
    found = statements(body)
    assert one(found, "We are ready").speaker is None
    assert one(found, "talks had failed").speaker == "the ministry"
    assert one(found, "the show would go on").speaker == "a BBC spokeswoman"


def test_headline_styles_colon_and_title_case_cue() -> None:
    body = (
        "Graham: Trump's rhetoric is destroying the party's chances.\n"
        "Bellwether County Says Trump Should Win the Nomination.\n"
        "Source: Times of Oman"
    )
    found = statements(body, actor(body, "Lindsey Graham", "person", "Graham"))
    colon = one(found, "destroying")
    assert (colon.speaker, colon.cue) == ("Lindsey Graham", ":")
    says = one(found, "Should Win")
    assert (says.speaker, says.cue) == ("Bellwether County", "says")
    assert not [s for s in found if "Oman" in s.text]


def test_possessive_noun_cue_and_parenthetical_attribution() -> None:
    body = (
        "Trump's recent assertion that thousands had celebrated drew criticism.\n"
        "In the end, Mr. Rosenthal said, union voters almost always vote Democratic."
    )
    found = statements(body, actor(body, "Donald Trump", "person", "Trump"))
    claim = one(found, "thousands had celebrated")
    assert (claim.speaker, claim.cue) == ("Donald Trump", "assertion")
    aside = one(found, "union voters")
    assert aside.speaker == "Mr. Rosenthal" and aside.text.startswith("In the end")


def test_no_statements_in_plain_narration() -> None:
    body = "The rebels advanced on Hama. Thousands of people fled the city overnight."
    assert statements(body) == ()


# -- rules from the study of PolNeAR train/ (own texts) -------------------------------


def test_parenthesis_and_adverb_between_subject_and_cue() -> None:
    body = (
        'Senator Jane Q. Doe (D-Ore.) said the bill would "gut the program" next year.\n'
        'Mayor Bob Lane infamously referred to the plan as "a disaster" in June.'
    )
    found = statements(
        body, actor(body, "Jane Q. Doe", "person"), actor(body, "Bob Lane", "person")
    )
    assert one(found, "gut the program").speaker == "Jane Q. Doe"
    lane = one(found, "a disaster")
    assert (lane.speaker, lane.cue) == ("Bob Lane", "referred")


def test_cue_after_an_adverbial_clause_introduces_the_quote_after_it() -> None:
    body = 'Asked whether he would stay, Mr. Hale replied, "Well, maybe so. Maybe not."'
    (s,) = statements(body, actor(body, "Tom Hale", "person", "Hale"))
    assert (s.speaker, s.cue, s.kind) == ("Tom Hale", "replied", "direct")
    assert s.text == "Well, maybe so. Maybe not."


def test_signed_quotes_and_a_misturned_opening_mark() -> None:
    body = (
        "Readers wrote in.\n"
        "”I am truly afraid of what comes next for all of us.” ― Ana Ruiz\n"
        "“Nobody listens to people like us anymore.” — Lee Park."
    )
    found = statements(body)
    ruiz = one(found, "truly afraid")
    assert (ruiz.speaker, ruiz.cue, ruiz.kind) == ("Ana Ruiz", "―", "direct")
    assert ruiz.text == "I am truly afraid of what comes next for all of us."
    assert one(found, "Nobody listens").speaker == "Lee Park"


def test_a_coordinated_cue_starts_its_own_statement() -> None:
    body = (
        'Jack Stone later suggested her rival was weak on trade, called her "third-rate" '
        "and left the stage."
    )
    found = statements(body, actor(body, "Jack Stone", "person"))
    suggested = one(found, "weak on trade")
    assert suggested.text == "her rival was weak on trade"
    called = one(found, "third-rate")
    assert (called.speaker, called.cue) == ("Jack Stone", "called")


def test_relative_who_hands_the_cue_to_its_antecedent() -> None:
    body = (
        "The remark drew a rebuke from Governor Ann Reyes, who called the senator "
        '"unfit to serve" as chair.'
    )
    (s,) = statements(body, actor(body, "Ann Reyes", "person"))
    assert (s.speaker, s.cue) == ("Ann Reyes", "called")
    assert '"unfit to serve"' in s.text


def test_a_participle_governing_a_quote() -> None:
    body = (
        "Carl Moss ended his list by saying “Too many.” The hall fell silent.\n"
        "Carl Moss held up the sign, mouthing “thank you” toward the crowd."
    )
    found = statements(body, actor(body, "Carl Moss", "person"))
    saying = one(found, "Too many")
    assert (saying.speaker, saying.cue, saying.kind) == ("Carl Moss", "saying", "direct")
    mouthing = one(found, "thank you")
    assert (mouthing.speaker, mouthing.cue) == ("Carl Moss", "mouthing")


def test_a_participle_clause_after_a_comma_carries_the_quote() -> None:
    body = (
        "Paul Grant is once again questioning the count, encouraging his supporters to "
        "watch the polls and make sure everything is “on the up and up.”"
    )
    found = statements(body, actor(body, "Paul Grant", "person"))
    s = one(found, "on the up and up")
    assert s.speaker == "Paul Grant"
    assert s.text.startswith("his supporters to watch the polls")


def test_a_pronoun_after_an_adverbial_is_the_whole_subject() -> None:
    body = (
        "Ivan Lenz spoke at length.\n"
        "In an interview with a state network RT he blasted the media for being "
        "“unbelievably dishonest.”"
    )
    found = statements(body, actor(body, "Ivan Lenz", "person"))
    s = one(found, "unbelievably dishonest")
    assert (s.speaker, s.cue) == ("Ivan Lenz", "blasted")


def test_a_saying_noun_that_is_also_a_verb_falls_back_to_the_verb() -> None:
    body = "The Daily Courier reports that the mayor kept the visit quiet to “avoid bad optics.”"
    (s,) = statements(body, actor(body, "Daily Courier", "organization"))
    assert (s.speaker, s.cue) == ("Daily Courier", "reports")
    assert s.text.startswith("the mayor kept the visit quiet")


def test_a_glued_opening_mark_closes_and_a_conjunction_is_not_the_subject() -> None:
    body = (
        "The Reed campaign asked for an “expedited review“ of the pipes and said the "
        "state must set up a “health monitoring system” at once.\n"
        "But it is not, and Mark Dayton says caucuses “are such an unknown” to voters."
    )
    found = statements(body, actor(body, "Reed", "person"), actor(body, "Mark Dayton", "person"))
    said = one(found, "health monitoring system")
    assert said.cue == "said" and said.text.startswith("the state must set up")
    dayton = one(found, "such an unknown")
    assert (dayton.speaker, dayton.cue) == ("Mark Dayton", "says")
    assert dayton.text.startswith("caucuses")


def test_transcript_speaker_label_takes_the_whole_paragraph() -> None:
    body = "PENCE: Well, look, this is a serious matter. The voters have a choice to make.\n"
    (s,) = statements(body, actor(body, "Mike Pence", "person", "PENCE"))
    assert (s.speaker, s.cue) == ("Mike Pence", ":")
    assert s.text.endswith("The voters have a choice to make.")


def test_a_quote_opening_a_clause_keeps_the_clause() -> None:
    body = (
        "The site CheckIt claimed “Smith exaggerates” the level of youth unemployment "
        "through a misleading use of numbers."
    )
    quoted, rest = statements(body, actor(body, "CheckIt", "organization"))
    # the quoted passage, then the rest of the clause: two passages of one utterance
    assert (quoted.text, quoted.kind) == ("Smith exaggerates", "direct")
    assert rest.kind == "indirect" and rest.text.endswith("misleading use of numbers")
    assert quoted.speaker == rest.speaker == "CheckIt" and quoted.utterance == rest.utterance


def test_a_name_and_a_dash_introduce_a_quote_inside_another_statement() -> None:
    body = (
        "Many Republicans have said the same thing, including the former candidate "
        "Mitt Romney -- ''It is disqualifying to hide the returns'' -- and others."
    )
    found = statements(body, actor(body, "Mitt Romney", "person"))
    # nested in the Republicans' statement, the quote is a statement of its own
    (s,) = [s for s in found if s.speaker == "Mitt Romney"]
    assert (s.cue, s.kind, s.text) == ("--", "direct", "It is disqualifying to hide the returns")
    assert one(found, "the same thing").speaker == "Many Republicans"


def test_inverted_cue_after_a_quote_without_a_comma() -> None:
    body = (
        "“We are extremely happy” about the decision, said Rosa Diaz, director of the "
        "nurses union.\n"
        "The Reed campaign also called for a recount."
    )
    found = statements(body, actor(body, "Rosa Diaz", "person"))
    happy = one(found, "extremely happy")
    assert happy.speaker == "Rosa Diaz"
    assert not [s for s in found if s.cue == "campaign"]


def test_evidence_shows_questions_and_appositions() -> None:
    body = (
        "For the first time, a new poll shows Senator Kim Lowe leading the race.\n"
        "Then Mr. Rubin asked the students whether they were always so serious.\n"
        "But Rita Moss, director of the Civic Fund, which wrote the letter, said the "
        "response was weak.\n"
        "The self-described moderate said he would win the state easily."
    )
    found = statements(body, actor(body, "Rita Moss", "person"))
    poll = one(found, "leading the race")
    assert (poll.speaker, poll.cue) == ("new poll", "shows")
    asked = one(found, "always so serious")
    assert (asked.cue, asked.speaker) == ("asked", "Mr. Rubin")
    assert one(found, "response was weak").speaker == "Rita Moss"
    assert one(found, "win the state").speaker == "self-described moderate"


def test_an_adverbial_participle_cue_ends_the_clause_before_it() -> None:
    body = (
        "Dan Cole told reporters the plan was dead, before insisting he had a "
        "“great relationship” with the unions."
    )
    found = statements(body, actor(body, "Dan Cole", "person"))
    told = one(found, "plan was dead")
    assert told.text == "the plan was dead"
    insisting = one(found, "great relationship")
    assert (insisting.speaker, insisting.cue) == ("Dan Cole", "insisting")


def test_a_quote_signed_by_an_unlisted_verb_and_a_name() -> None:
    body = "The floor erupted.\n“This is fantastic!” beamed Don Hart of Madison, a delegate."
    (s,) = statements(body)
    assert (s.speaker, s.cue, s.text) == ("Don Hart", "beamed", "This is fantastic!")


# -- the seeds (real actors from index.extract.actors) ----------------------------------------


def seed(prefix: str) -> tuple[str, tuple[Statement, ...]]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    body = path.read_text(encoding="utf-8")
    article = extract(Article(id=prefix, path=str(path), title="", body=body))
    for s in article.statements:
        assert body[s.start : s.end] == s.text
    return body, article.statements


def direct(found: tuple[Statement, ...], fragment: str) -> Statement:
    hits = [s for s in found if fragment in s.text and s.kind == "direct"]
    assert len(hits) == 1, (fragment, [s for s in found if s.kind == "direct"])
    return hits[0]


def test_seed_000_direct_quotes_and_speakers() -> None:
    _body, found = seed("000")
    assert direct(found, "We confirm that our armed forces").speaker == "Syrian Defense Ministry"
    added = direct(found, "The operation to counter")
    assert (added.speaker, added.cue) == ("Syrian Defense Ministry", "added")
    # a reported clause with a quoted fragment: indirect, the fragment inside
    stands = one(found, "stands with the Syrian state")
    assert (stands.speaker, stands.kind) == ("Mohamed bin Zayed Al Nahyan", "indirect")
    sudani = direct(found, "Syria's security and stability")
    assert (sudani.speaker, sudani.cue) == ("Mohammed Shia' al-Sudani", "remarked")
    assert (
        sudani.text
        == "Syria's security and stability are inherently tied to Iraq's national security"
    )


def test_seed_001_he_said_and_no_scare_quote_statement() -> None:
    _body, found = seed("001")
    assert direct(found, "The latest developments").speaker == "Geir Pedersen"
    assert one(found, "stability and territorial integrity").speaker == "Bashar al-Assad"
    agency = one(found, "government troops had successfully repelled")
    assert (agency.speaker, agency.cue) == ("SANA", "stated")  # "The agency stated"
    assert not [s for s in found if s.kind == "direct" and '"terrorist"' in s.text]
    assert not [s for s in found if s.text.strip('"') == "terrorist"]


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_seeds_without_quote_marks_have_no_direct_statements(prefix: str) -> None:
    body, found = seed(prefix)
    assert not re.search('["“”]', body)
    assert found, "indirect statements are expected"
    assert all(s.kind == "indirect" for s in found)


def test_seed_003_indirect_statement_of_turkish_officials() -> None:
    _body, found = seed("003")
    s = one(found, "the insurgents initially launched a limited offensive")
    assert (s.speaker, s.cue, s.kind) == ("Turkish officials", "said", "indirect")


def test_seed_004_direct_quotes_and_speakers() -> None:
    _body, found = seed("004")
    kahhat = direct(found, "The trial by fire is Hama")
    assert (kahhat.speaker, kahhat.cue) == ("Farid Kahhat", "told")
    assert direct(found, "I have repeatedly warned").speaker == "Geir Pedersen"
    assert one(found, "“strong defensive line”").speaker == "Syrian Observatory for Human Rights"
    assert one(found, "“defend its stability").speaker == "Bashar al-Assad"
    assert one(found, "he is capable of defeating them").speaker == "Bashar al-Assad"
    rebel = one(found, "65 Syrian soldiers were taken prisoner")
    assert (rebel.speaker, rebel.cue) == ("Hassan Abdulghani", "added")


def test_reported_clause_after_a_time_of_day_adverbial_starts_after_that() -> None:
    body = (
        "The Syrian Defense Ministry stated in a release on Saturday evening that "
        "any claims regarding the retreat are inaccurate."
    )
    found = statements(body, actor(body, "Syrian Defense Ministry", "organization"))
    s = one(found, "claims")
    assert s.text == "any claims regarding the retreat are inaccurate"
    assert s.speaker == "Syrian Defense Ministry" and s.kind == "indirect"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_statements_never_start_with_a_quote_mark(prefix: str) -> None:
    _body, found = seed(prefix)
    assert not [s.text for s in found if s.text[:1] in "\"“”„«»'"]
    # every direct statement is a quoted passage: no quote mark inside it either
    assert not [s.text for s in found if s.kind == "direct" and re.search('["“”]', s.text)]
    # utterance numbers are shared by passages of one utterance only
    for s in found:
        same = [o for o in found if o.utterance == s.utterance]
        assert len({o.speaker for o in same}) == 1


def test_seed_004_no_stance_noise() -> None:
    _body, found = seed("004")
    # `Iran and the groups it supports and Russia`: the object went before the verb
    assert not [s for s in found if s.text.startswith("and Russia")]
    # `Araghchi told reporters that Tehran will support ...`: a stance inside a statement
    assert not [s for s in found if s.speaker == "Tehran"]
    told = one(found, "Tehran will support")
    assert (told.speaker, told.act) == ("Abbas Araghchi", "speech")


def test_side_panel_groups_speech_by_speaker_and_sets_other_acts_apart() -> None:
    from reader.widgets.side_panel import group_statements, utterance_prompt

    body = (
        '"We are ready," Ann Lee said. "The plan works."\n'
        "Bob Stone said the plan was costly.\n"
        "Lee added that the work would start soon.\n"
        "Stone believes the town will vote against it."
    )
    found = statements(
        body, actor(body, "Ann Lee", "person", "Lee"), actor(body, "Bob Stone", "person", "Stone")
    )
    speech, other = group_statements(found)
    speakers = [found[u[0]].speaker for u in speech]
    assert speakers == ["Ann Lee", "Ann Lee", "Bob Stone"]  # grouped, first speaker first
    assert [found[i].text for i in speech[0]] == ["We are ready", "The plan works."]
    assert str(utterance_prompt([found[i] for i in speech[0]])) == (
        "Ann Lee: “We are ready” … “The plan works.”"
    )
    assert [(found[u[0]].speaker, found[u[0]].act) for u in other] == [("Bob Stone", "thought")]
    assert str(utterance_prompt([found[other[0][0]]], muted=True)).startswith(
        "Bob Stone (thought): "
    )


def test_side_panel_of_seed_004_shows_no_stance_noise_as_speech() -> None:
    from reader.widgets.side_panel import group_statements

    _body, found = seed("004")
    speech, _other = group_statements(found)
    shown = [f"{found[u[0]].speaker}: {found[u[0]].text}" for u in speech]
    assert not [s for s in shown if s.startswith(("Iran: and Russia", "Tehran: "))]


def test_negated_refused_hypothetical_and_generic_cues_make_no_statement() -> None:
    body = (
        "Raj Singh won't say whether the plant will close.\n"
        "Ann Lee declined to say how many jobs would go.\n"
        "It is fair to say that the town is worried.\n"
        "The most difficult is to know whether someone is who they say they are online.\n"
        "Bob Stone said the plant would stay open."
    )
    found = statements(
        body,
        actor(body, "Raj Singh", "person"),
        actor(body, "Ann Lee", "person"),
        actor(body, "Bob Stone", "person"),
    )
    # `declined to ...` stays a stance (PolNeAR counts refusals), never speech
    assert [s.speaker for s in found if s.act == "speech"] == ["Bob Stone"]
    assert not [s for s in found if s.cue == "say"]


def test_pronouns_agree_in_gender_with_their_antecedent() -> None:
    body = (
        "Mary Brown met John Smith in the capital on Monday.\n"
        "She said the talks had gone well and would resume soon."
    )
    found = statements(
        body, actor(body, "Mary Brown", "person"), actor(body, "John Smith", "person")
    )
    assert one(found, "talks had gone well").speaker == "Mary Brown"


def test_descriptions_of_a_person_resolve_to_the_person_the_text_is_about() -> None:
    body = (
        "Marcel Desailly has won the league with Chelsea.\n"
        '"Things will be totally different this time," the 36-year-old told reporters.\n'
        "Blackburn boss Mark Hughes said the team was ready for the game."
    )
    found = statements(
        body,
        actor(body, "Marcel Desailly", "person"),
        actor(body, "Blackburn", "organization"),
        actor(body, "Chelsea", "organization"),
    )
    assert one(found, "Things will be").speaker == "Marcel Desailly"
    assert one(found, "the team was ready").speaker == "Mark Hughes"


def test_told_the_website_is_the_addressee_not_the_content() -> None:
    body = "Steve Ash told the BBC News website there are two parts to the process."
    (s,) = statements(body, actor(body, "Steve Ash", "person"))
    assert (s.speaker, s.text) == ("Steve Ash", "there are two parts to the process")


def test_a_participle_governing_a_quote_ends_the_clause_before_it() -> None:
    body = 'Ann Lee called the leaders to the stage, singing "It\'s Our Time."'
    found = statements(body, actor(body, "Ann Lee", "person"))
    sung = one(found, "It's Our Time")
    assert (sung.text, sung.kind, sung.act, sung.speaker) == (
        "It's Our Time.",
        "direct",
        "speech",
        "Ann Lee",
    )


def test_a_report_saying_inside_a_statement_stays_a_statement() -> None:
    body = (
        "Researchers reported that the firm holds billions offshore, and the report says "
        "the company has 987 subsidiaries in tax havens."
    )
    found = statements(body)
    (says,) = [s for s in found if s.cue == "says"]
    assert says.text == "the company has 987 subsidiaries in tax havens"
    assert says.act == "evidence"  # nested, kept: a verb of saying with its own subject


def test_joint_speakers_keep_both_names() -> None:
    body = (
        '"We had a hard year," singer Gary Lightbody and drummer Jonny Quinn said.\n'
        'Barack Obama and Hillary Clinton call them "lone wolves" in every speech.'
    )
    found = statements(
        body,
        actor(body, "Gary Lightbody", "person"),
        actor(body, "Jonny Quinn", "person"),
        actor(body, "Barack Obama", "person"),
        actor(body, "Hillary Clinton", "person"),
    )
    assert one(found, "hard year").speaker == "Gary Lightbody and Jonny Quinn"
    assert one(found, "lone wolves").speaker == "Barack Obama and Hillary Clinton"


def test_its_makers_and_an_apposed_name_after_an_inverted_role() -> None:
    body = (
        "Opera is a web browser. It can read pages aloud, its developers say.\n"
        '"Our mission is access for all," said Opera spokeswoman, Berit Hanson.'
    )
    found = statements(
        body, actor(body, "Opera", "organization"), actor(body, "Berit Hanson", "person")
    )
    assert one(found, "read pages aloud").speaker == "Opera"
    assert one(found, "Our mission").speaker == "Berit Hanson"


def test_a_dash_aside_in_the_subject_and_a_pronoun_chain() -> None:
    body = (
        "Fund manager Florian Hamm - the club's largest investor - said he wants a say.\n"
        "Marcel Desailly won the cup in 1998. So he is full of praise for Paolo Maldini. "
        '"I\'m happy that they have managed to play so long," he said.'
    )
    found = statements(
        body,
        actor(body, "Florian Hamm", "person"),
        actor(body, "Marcel Desailly", "person"),
        actor(body, "Paolo Maldini", "person"),
    )
    assert one(found, "he wants a say").speaker == "Florian Hamm"
    assert one(found, "I'm happy").speaker == "Marcel Desailly"


@pytest.mark.parametrize(
    "body",
    [
        '"We will keep fighting for the workers," Ann Lee told reporters on Oct. 23.',
        '"We are very happy with the result today," Ann Lee said earnestly.',
        '"We will win the vote next week," Ann Lee said by phone.',
        '"Why would anyone vote for that plan?" Ann Lee said.',
        '"This is a great day for the town!" Ann Lee said.',
        '"The mine was unsafe for years," Ann Lee notes.',
        '"The mine was unsafe for years," Ann Lee states.',
    ],
)
def test_postposed_attribution_tails(body: str) -> None:
    (s,) = statements(body, actor(body, "Ann Lee", "person"))
    assert (s.speaker, s.kind) == ("Ann Lee", "direct")
    assert s.text == body[1 : body.index('"', 1)].rstrip(",")


def test_labels_quantities_and_nouns_make_no_statement() -> None:
    body = (
        "KEEPING SCORE: The team won the match by three goals.\n"
        "Contributing: Ann Lee and Bob Stone in London.\n"
        "The DAX added 0.3 per cent to close at a record high.\n"
        "Officials at a Clinton campaign event said the rally was full.\n"
        "WALLACE: We will talk about the debate in a moment."
    )
    found = statements(body, actor(body, "Ann Lee", "person"), actor(body, "Bob Stone", "person"))
    assert [(s.speaker, s.cue, s.text) for s in found] == [
        ("Officials at a Clinton campaign event", "said", "the rally was full"),
        ("WALLACE", ":", "We will talk about the debate in a moment."),
    ]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_direct_quote_has_a_speaker(prefix: str) -> None:
    _body, found = seed(prefix)
    assert not [s.text for s in found if s.kind == "direct" and s.speaker is None]


def test_seed_direct_quotes_have_the_right_speaker() -> None:
    _body, found = seed("000")
    assert direct(found, "Syria's crucial role").speaker == "Badr Abdelatty"  # `and underscoring`
    _body, found = seed("004")
    assert direct(found, "to transfer territories").speaker == "Turkish security sources"


def test_catalog_record_keeps_act_and_utterance_and_reads_old_records() -> None:
    from index.storage.rows import _article, _record

    body = '"We are ready," Ann Lee said. "The plan works."\nBob Stone believes it will fail.'
    found = statements(body, actor(body, "Ann Lee", "person"), actor(body, "Bob Stone", "person"))
    art = Article(id="a", path="p", title="t", body=body, statements=found)
    back = _article(_record(art), body)
    assert back.statements == found
    old = _record(art)
    old["statements"] = [row[:5] for row in old["statements"]]  # a record of format 3
    again = _article(old, body).statements
    assert [s.act for s in again] == ["speech"] * len(found)
    assert len({s.utterance for s in again}) == len(found)
