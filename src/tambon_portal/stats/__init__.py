"""Roll-ups, comparisons, trends and small-cell suppression: pure functions of frames."""
