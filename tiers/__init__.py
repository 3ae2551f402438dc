"""Tiers (梯度培育企业库): the Qt-free domain core and storage."""

__version__ = "0.1.0"
