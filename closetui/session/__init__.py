"""One connection's working session without Textual: the open edit state, its drafts and history."""
