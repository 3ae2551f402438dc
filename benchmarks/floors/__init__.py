"""The floors of benchmarks/run_all.py: each the same work as a Tiers job done by the bare
libraries, as a script of its own, run as a fresh process beside the job in the same loop."""
