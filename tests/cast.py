"""The named cast every access test walks."""

from __future__ import annotations

from dataclasses import dataclass

from house.accounts.tables import User
from tests.factories import Person, make_house, make_user


@dataclass(frozen=True)
class Cast:
    house_a: int
    house_b: int
    admin: Person
    manager_a: Person
    manager_b: Person
    resident_a: Person
    resident_a2: Person
    resident_b: Person
    case_manager: Person

    def people(self) -> dict[str, Person | None]:
        """Each persona by name; None is the anonymous visitor."""
        return {
            "admin": self.admin,
            "manager_a": self.manager_a,
            "manager_b": self.manager_b,
            "resident_a": self.resident_a,
            "resident_a2": self.resident_a2,
            "resident_b": self.resident_b,
            "case_manager": self.case_manager,
            "anonymous": None,
        }


async def make_cast() -> Cast:
    house_a = await make_house()
    house_b = await make_house()
    return Cast(
        house_a=house_a,
        house_b=house_b,
        admin=await make_user(User.Role.admin, name="Ada Admin"),
        manager_a=await make_user(User.Role.manager, [house_a], name="Mia Manager"),
        manager_b=await make_user(User.Role.manager, [house_b], name="Ben Manager"),
        resident_a=await make_user(User.Role.resident, [house_a], name="Rae Resident"),
        resident_a2=await make_user(User.Role.resident, [house_a], name="Ray Resident"),
        resident_b=await make_user(User.Role.resident, [house_b], name="Bo Resident"),
        case_manager=await make_user(User.Role.case_manager, name="Cam Casework"),
    )
