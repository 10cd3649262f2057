"""geo: find the places news articles mention and resolve them, offline first.

Data flows one way: articles → mentions → places → tables → map.
"""

__version__ = "0.1.0"
