"""The domain's values (pure): periods, numbers, units and enums, indicators, and the
input schema."""
