"""The flows the main screen runs: send, bulk, revert, views, and the quit guard."""
