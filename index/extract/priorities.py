"""Named priorities of statement candidates: the lower wins when candidates overlap."""

from __future__ import annotations

# A quoted passage its own cue introduces (`X said: "..."`, `"...," X said`).
INTRODUCED_QUOTE = 0
# A reported clause of a speech cue (`X said that ...`), or the rest of a quoted clause.
REPORTED_CLAUSE = 1
# A source phrase or mark rather than a verb: `according to X`, `X:` heads, `"..." - X`.
SOURCE_PHRASE = 2
# A passage without its own cue: a continuation, or a quote standing alone.
UNINTRODUCED = 3
# A stance, plan or belief of a named actor (`Iran has pledged support`).
STANCE = 4
