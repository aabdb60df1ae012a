"""Spreadsheet import (all rows or none, with a dry run) and export of org units, rosters and cases."""
