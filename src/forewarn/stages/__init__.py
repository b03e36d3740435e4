"""The engine's stages after reading: segment, assess, label (characters, ratings) and verdict (profile).

Each module does one step on the documents (``forewarn.documents``); the engine (``forewarn.engine``)
runs them in order. A stage never imports the engine or an adapter.
"""
