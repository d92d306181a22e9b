"""The main screen: the opportunity list beside the editor, and sending what is edited."""
