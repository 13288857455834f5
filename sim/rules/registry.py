"""Named adoption rules. Config selects a rule by name from this registry, never by class path.

Add a rule with the decorator and select it with `adoption.rule=<name>`:

    from sim.rules.registry import register_adoption_rule

    @register_adoption_rule("my_rule")
    def my_rule(x: AdoptionInputs, p: AdoptionConfig) -> np.ndarray: ...
"""

from __future__ import annotations

from collections.abc import Callable

ADOPTION_RULES: dict[str, Callable] = {}


def register_adoption_rule(name: str) -> Callable[[Callable], Callable]:
    """Register a pure function (AdoptionInputs, AdoptionConfig) -> monthly join probability."""

    def deco(fn: Callable) -> Callable:
        if name in ADOPTION_RULES and ADOPTION_RULES[name] is not fn:
            raise ValueError(f"an adoption rule named {name!r} is already registered")
        ADOPTION_RULES[name] = fn
        return fn

    return deco


def adoption_rule_names() -> tuple[str, ...]:
    """Names of the registered rules (the built-in ones are always registered)."""
    from . import adoption, contagion  # noqa: F401  registers the built-in rules

    return tuple(ADOPTION_RULES)


def get_adoption_rule(name: str) -> Callable:
    adoption_rule_names()
    return ADOPTION_RULES[name]
