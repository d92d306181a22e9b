"""Dialogs and screens the app and the flows open: review, stale, bulk, history, help, setup."""
