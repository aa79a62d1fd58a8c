"""Benchmarks: functions returning flat dicts of figures, run by `fairstake bench ...`."""
