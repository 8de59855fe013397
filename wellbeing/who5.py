"""The WHO-5 Well-Being Index: its five statements, the score, when to suggest support, when to ask again.

Plain functions on plain values, to be read against docs/evidence.md ("WHO-5 Well-Being Index"): the raw sum
0-25 times 4 gives 0-100; 28 or below, or a drop of 10 points or more since the previous check-in, suggests
support; a check-in is offered every 14 days.
"""

import datetime
from dataclasses import dataclass

# --- The WHO-5 Well-Being Index ----------------------------------------------------------------------------
# Five statements about the last two weeks, each answered 0 ("at no time") to 5 ("all of the time").
# The WHO-5 is free to use; the statements stay close to the original so that the score means what it should.

ITEMS = [
    ("cheerful", "I have felt cheerful and in good spirits"),
    ("calm", "I have felt calm and relaxed"),
    ("active", "I have felt active and full of energy"),
    ("rested", "I have woken up feeling fresh and rested"),
    ("interested", "My daily life has been filled with things that interest me"),
]
ITEM_KEYS = [key for key, _ in ITEMS]

ANSWERS = [
    (5, "All of the time"),
    (4, "Most of the time"),
    (3, "More than half of the time"),
    (2, "Less than half of the time"),
    (1, "Some of the time"),
    (0, "At no time"),
]

LOW_SCORE = 28  # 28 or below: likely depression (docs/evidence.md)
TALK_TO_SOMEONE_BELOW = 50  # below 50: poor wellbeing, worth talking to a professional about
MEANINGFUL_DROP = 10  # a change of 10 points is meaningful
CHECKIN_EVERY_DAYS = 14


def score(answers: dict) -> int:
    """The WHO-5 percentage score, 0-100: the five answers (0-5 each) added up, times 4."""
    values = [answers[key] for key in ITEM_KEYS]
    if any(not 0 <= value <= 5 for value in values):
        raise ValueError("Each WHO-5 answer is 0 to 5.")
    return sum(values) * 4


@dataclass(frozen=True)
class Assessment:
    """A WHO-5 score (0-100) read against the support rules, with the previous score if there was one."""

    score: int
    previous_score: int | None

    @property
    def low(self) -> bool:
        return self.score <= LOW_SCORE

    @property
    def drop(self) -> int:
        if self.previous_score is None:
            return 0
        return max(0, self.previous_score - self.score)

    @property
    def dropped(self) -> bool:
        return self.drop >= MEANINGFUL_DROP

    @property
    def needs_support(self) -> bool:
        """Suggest support, and a gentler plan until the next check-in."""
        return self.low or self.dropped

    @property
    def worth_talking_about(self) -> bool:
        """Below 50: no gentle switch, but a professional is worth talking to."""
        return self.score < TALK_TO_SOMEONE_BELOW


def assess(score: int, previous_score: int | None) -> Assessment:
    """What a score (0-100) means, given the previous one (or None for a first check-in)."""
    return Assessment(score=score, previous_score=previous_score)


def is_checkin_due(last_checkin_date: datetime.date | None, today: datetime.date) -> bool:
    """A check-in is offered when there was none yet, or the last was 14 or more days before today."""
    if last_checkin_date is None:
        return True
    return (today - last_checkin_date).days >= CHECKIN_EVERY_DAYS


def next_checkin_date(last_checkin_date: datetime.date) -> datetime.date:
    """The day the next check-in is offered: 14 days after the last."""
    return last_checkin_date + datetime.timedelta(days=CHECKIN_EVERY_DAYS)
