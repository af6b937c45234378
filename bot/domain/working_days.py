"""Working days for report deadlines: Monday to Friday except the bank holidays of the configured UK region.

Bank holidays come from the `holidays` package (England and Wales share theirs; Scotland and Northern Ireland differ),
including the substitute days when Christmas, Boxing Day or New Year's Day fall at a weekend.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import holidays

REGIONS: Final = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
"""The UK regions the `holidays` package knows, by the code administrators set in HOLIDAY_REGION."""


class WorkingDays:
    def __init__(self, region: str = "ENG") -> None:
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}; one of {', '.join(REGIONS)}")
        self.region = region
        self._bank_holidays = holidays.country_holidays("GB", subdiv=region)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._bank_holidays

    def before(self, day: date, count: int) -> date:
        """The working day `count` working days before `day` (`day` itself does not count, and need not be one).

        A conference on Thursday 10th: 2 working days before is Tuesday 8th.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        found = 0
        while found < count:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        return day
