"""Named adoption rules. Config selects a rule by name from this registry, never by class path.

Add a rule with the decorator and select it with `adoption.rule=<name>`:

    from sim.rules.registry import register_adoption_rule

    @register_adoption_rule("my_rule")
    def my_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray: ...

A rule may also declare a `ceiling`: a function of the parameters giving an upper bound on
the probabilities it can return (the flywheel rule never exceeds max_join_rate). The model
then evaluates the rule only for residents whose uniform draw lies below the ceiling, since
no other resident can join whatever the rule says: the same result, much less work.
"""

from __future__ import annotations

from collections.abc import Callable

ADOPTION_RULES: dict[str, Callable] = {}
CEILINGS: dict[str, Callable] = {}


def register_adoption_rule(name: str, ceiling: Callable | None = None) -> Callable[[Callable], Callable]:
    """Register a pure function (AdoptionInputs, AdoptionConfig) -> monthly join probability,
    with an optional ceiling(AdoptionConfig, dt_years) -> upper bound of those probabilities."""

    def deco(fn: Callable) -> Callable:
        if name in ADOPTION_RULES and ADOPTION_RULES[name] is not fn:
            raise ValueError(f"an adoption rule named {name!r} is already registered")
        ADOPTION_RULES[name] = fn
        if ceiling is not None:
            CEILINGS[name] = ceiling
        else:
            CEILINGS.pop(name, None)  # no stale ceiling from an earlier rule of this name
        return fn

    return deco


def adoption_ceiling(name: str, params, dt_years: float) -> float:
    """Upper bound of the rule's probabilities in a step of dt_years (1 if it declares none)."""
    _register_builtins()
    return float(CEILINGS[name](params, dt_years)) if name in CEILINGS else 1.0


def adoption_rule_names() -> tuple[str, ...]:
    """Names of the registered rules (the built-in ones are always registered)."""
    from . import adoption, contagion  # noqa: F401  registers the built-in rules

    return tuple(ADOPTION_RULES)


def _register_builtins() -> None:
    """Import the modules of the built-in rules (once: adoption_ceiling runs every month)."""
    global _builtins_registered
    if not _builtins_registered:
        from . import adoption, contagion  # noqa: F401  registers the built-in rules

        _builtins_registered = True


_builtins_registered = False


def get_adoption_rule(name: str) -> Callable:
    _register_builtins()
    return ADOPTION_RULES[name]
