"""Prefect orchestration and the command line of guide-extract."""
