"""One total per practice from its budget amounts, which overlap: '73,46 million euro:
65% (47,5 million) ...; 35% (25,5 million) ... a maximum per project of 200k Euro' is one
sum of money, not four. docs/output-contract.md ("Budget roles and totals") is the rule.

- A stated total wins: the amounts with the role `total`, or the amount that the `share`s
  right after it divide (it is their whole). Several stated totals that differ: no total.
- Otherwise the parts are summed: the amounts with role `budget`, `funding`, `grant`,
  `co-financing` or none. Left out, as overlapping or not a sum of money: `share` (inside
  its whole), `per project maximum` (a cap), `per year` (a rate), `range minimum` and
  `range maximum` (bounds of one cost).
- Never a guess: no total when a counted amount has no number or no currency, when the
  counted amounts are in more than one currency, or when nothing is counted.
"""

from __future__ import annotations

PARTS = frozenset({None, "budget", "funding", "grant", "co-financing"})
LEFT_OUT = frozenset({"share", "per project maximum", "per year", "range minimum", "range maximum"})


def _stated(budgets: list[dict]) -> list[int]:
    """Indexes of the amounts that state the total."""
    stated = [i for i, m in enumerate(budgets) if m.get("role") == "total"]
    for i, money in enumerate(budgets):
        if money.get("role") == "share" and i > 0 and budgets[i - 1].get("role") not in LEFT_OUT | {"total"}:
            stated.append(i - 1)  # the whole that the shares after it divide
    return sorted(set(stated))


def budget_total(budgets: list[dict]) -> dict | None:
    """The practice's `budget_total` (schemas.models.BudgetTotal as a dict), or None."""
    stated = _stated(budgets)
    if stated:
        chosen, basis = stated, "stated"
        if len({(budgets[i].get("amount"), budgets[i].get("currency")) for i in chosen}) != 1:
            return None  # two different totals: which one is meant is a guess
        chosen = chosen[:1]
    else:
        chosen, basis = [i for i, m in enumerate(budgets) if m.get("role") in PARTS], "sum of parts"
    if not chosen:
        return None
    picked = [budgets[i] for i in chosen]
    if any(m.get("amount") is None or not m.get("currency") for m in picked):
        return None
    currencies = {m["currency"] for m in picked}
    if len(currencies) != 1:
        return None
    return {
        "amount": round(sum(m["amount"] for m in picked), 2),
        "currency": currencies.pop(),
        "basis": basis,
        "positions": [i + 1 for i in chosen],
        "raw": [m["raw"] for m in picked],
    }
