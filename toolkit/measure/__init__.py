"""Measurement: surveys and their statistics, engagement from meeting logs, impact against a
comparison group, comment themes, and the one anonymity rule every report applies (``privacy``).
"""
