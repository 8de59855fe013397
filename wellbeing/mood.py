"""A person's own record of mood before and after sessions, summarised in words.

Summarised only once there are at least 5 sessions with both moods, and in words that say what it is: the
person's own record, not medical advice.
"""

from collections import defaultdict

MIN_MOOD_SESSIONS = 5  # fewer than this, and a summary would read more into the numbers than they hold
FEW_FOR_ONE_ACTIVITY = 3


def _change_words(change: float) -> str:
    if change >= 0.5:
        return "usually higher after than before"
    if change > 0:
        return "a little higher after than before, on average"
    if change == 0:
        return "about the same before and after"
    if change > -0.5:
        return "a little lower after than before, on average"
    return "often lower after than before; a lighter or different activity may suit you better"


def mood_summary(rows) -> dict | None:
    """rows: (activity name, mood before 1-5, mood after 1-5) for sessions with both moods recorded.

    None until there are MIN_MOOD_SESSIONS of them.
    """
    rows = [(activity, before, after) for activity, before, after in rows if before and after]
    if len(rows) < MIN_MOOD_SESSIONS:
        return None
    changes = [after - before for _, before, after in rows]
    higher = sum(1 for change in changes if change > 0)
    same = sum(1 for change in changes if change == 0)
    average_change = round(sum(changes) / len(changes), 1)

    by_activity = defaultdict(list)
    for activity, before, after in rows:
        by_activity[activity].append((before, after))
    activities = []
    for activity, pairs in by_activity.items():
        change = round(sum(after - before for before, after in pairs) / len(pairs), 1)
        few = len(pairs) < FEW_FOR_ONE_ACTIVITY
        activities.append(
            {
                "activity": activity,
                "sessions": len(pairs),
                "average_before": round(sum(before for before, _ in pairs) / len(pairs), 1),
                "average_after": round(sum(after for _, after in pairs) / len(pairs), 1),
                "change": change,
                "words": (
                    f"only {len(pairs)} session{'s' if len(pairs) != 1 else ''} so far, too few to say much"
                    if few
                    else _change_words(change)
                ),
            }
        )
    activities.sort(key=lambda row: (-row["sessions"], row["activity"]))

    sentence = (
        f"In {higher} of the {len(rows)} sessions where you noted your mood before and after, "
        f"it was higher after moving"
    )
    if same:
        sentence += f", and in {same} it was the same"
    sentence += "."
    if average_change > 0:
        sentence += f" On average it went up by {average_change:g} on the 1 to 5 scale."
    elif average_change < 0:
        sentence += f" On average it went down by {-average_change:g} on the 1 to 5 scale."
    return {
        "sessions": len(rows),
        "higher": higher,
        "same": same,
        "lower": len(rows) - higher - same,
        "average_change": average_change,
        "sentence": sentence,
        "by_activity": activities,
    }
