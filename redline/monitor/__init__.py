"""Customer books and their monitoring: re-screening on list change (see docs/monitoring.md)."""
