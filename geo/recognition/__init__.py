"""Toponym recognition: which stretches of an article name places, demonyms or metonyms."""

from geo.recognition.recognizer import Recognizer, load_model

__all__ = ["Recognizer", "load_model"]
