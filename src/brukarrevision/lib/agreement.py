"""Agreement between two coders: Cohen's kappa per code, and pooled kappa over all codes
(De Vries et al. 2008), from yes/no decisions "coder applied this code to this passage"."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    units: int  # passages either coder coded
    observed: float  # share of decisions the two agree on
    expected: float  # share they would agree on by chance
    kappa: float | None  # None when chance agreement is total (nothing to compare)


def _kappa(observed: float, expected: float) -> float | None:
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def _shares(first: list[bool], second: list[bool]) -> tuple[float, float]:
    units = len(first)
    agree = sum(a == b for a, b in zip(first, second, strict=True))
    yes_first, yes_second = sum(first) / units, sum(second) / units
    chance = yes_first * yes_second + (1 - yes_first) * (1 - yes_second)
    return agree / units, chance


def cohen(first: list[bool], second: list[bool]) -> Agreement:
    """Kappa for one code: each list holds one decision per passage."""
    if not first:
        return Agreement(0, 0.0, 0.0, None)
    observed, expected = _shares(first, second)
    return Agreement(len(first), observed, expected, _kappa(observed, expected))


def pooled(decisions: dict[str, tuple[list[bool], list[bool]]]) -> Agreement:
    """Pooled kappa: the mean observed and mean chance agreement over codes."""
    if not decisions:
        return Agreement(0, 0.0, 0.0, None)
    shares = [_shares(a, b) for a, b in decisions.values() if a]
    if not shares:
        return Agreement(0, 0.0, 0.0, None)
    observed = sum(s[0] for s in shares) / len(shares)
    expected = sum(s[1] for s in shares) / len(shares)
    units = len(next(iter(decisions.values()))[0])
    return Agreement(units, observed, expected, _kappa(observed, expected))
