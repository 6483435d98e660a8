"""`python -m nudge.checks` prints the table of checkers that instructors.md shows."""

from nudge.checks import checker_table

print(checker_table())
