"""Measurement: surveys and their statistics, engagement from meeting logs, impact against a
comparison group, and comment themes. (The one anonymity rule every report and audit applies is
:mod:`toolkit.privacy`, an early stage, because the matching audit needs it too.)
"""
