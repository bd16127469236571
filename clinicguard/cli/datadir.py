"""The ``--data-dir`` option shared by the commands that read or write saved data."""

from __future__ import annotations

import argparse
import os


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR")


def use_data_dir(args: argparse.Namespace) -> None:
    # paths.data_dir() reads the environment, so the option simply overrides it for this run.
    if getattr(args, "data_dir", None):
        os.environ["CLINICGUARD_DATA_DIR"] = args.data_dir
