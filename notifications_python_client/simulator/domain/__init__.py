"""The simulator's vocabulary: the records it keeps (``models``) and Notify's error (``errors``).

The lowest layer: it imports nothing else of the simulator, and every other layer may import it.
"""
