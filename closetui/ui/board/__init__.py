"""The pipeline board: a column per status of one pipeline, cards moved with the keyboard."""
