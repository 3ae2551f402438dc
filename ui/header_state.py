"""How many columns a saved QHeaderView state was saved for, read from the state itself."""

from __future__ import annotations

from PySide6.QtCore import QBitArray, QByteArray, QDataStream

VERSION_MARKER = 0xFF  # QHeaderViewPrivate::VersionMarker, written first by saveState


def saved_column_count(state: QByteArray) -> int | None:
    """The section count in ``state`` (None when it cannot be read). Qt restores a state
    saved for fewer columns without a word, by column number: after a column is added to a
    table, the old state would hide, size and move the wrong columns."""
    stream = QDataStream(state)
    stream.setVersion(QDataStream.Qt_5_0)
    if stream.readInt32() != VERSION_MARKER or stream.readInt32() != 0:
        return None
    stream.readInt32()  # orientation
    stream.readInt32()  # sort order
    stream.readInt32()  # sort column
    stream.readBool()  # sort indicator shown
    for _ in range(2):  # visual indices, logical indices (empty until a column is moved)
        for _ in range(max(stream.readInt32(), 0)):
            stream.readInt32()
    hidden = QBitArray()
    stream >> hidden
    for _ in range(max(stream.readInt32(), 0)):  # the hidden sections' sizes
        stream.readInt32()
        stream.readInt32()
    stream.readInt32()  # length
    count = stream.readInt32()
    return count if stream.status() == QDataStream.Status.Ok and count >= 0 else None
