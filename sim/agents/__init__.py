"""Mesa agents: residents, collectives, governments (views onto the model's arrays)."""

from .collective import Collective
from .government import Government, Municipality, Province
from .resident import Resident

__all__ = ["Collective", "Government", "Municipality", "Province", "Resident"]
