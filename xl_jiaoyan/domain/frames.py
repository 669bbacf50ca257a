"""Tables built from Python data, with text kept as Python objects.

pandas 3 stores text it is handed as Arrow strings: every later filter, lookup and
``to_dict`` then converts element by element (several times the cost of object columns
at a million rows), and a missing text becomes NaN, not None.  The tables of this
project hold text, dates, lists and numbers together, as pandas 2 kept them; these
helpers make them so under either version.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def typed_frame(columns: dict, n: int) -> pd.DataFrame:
    """A table of ``n`` rows: numpy arrays of numbers or booleans as they are, every other
    column (lists, object arrays, one value for all rows) as Python objects.  Columns are
    not copied into one block."""
    index = pd.RangeIndex(n)

    def column(v):
        if isinstance(v, np.ndarray) and v.dtype != object:
            return v
        if isinstance(v, (list, tuple, np.ndarray, pd.Series)):
            return pd.Series(np.asarray(v, dtype=object) if isinstance(v, pd.Series) else v,
                             index=index, dtype=object)
        out = np.empty(n, dtype=object)     # one value for every row
        out[:] = [v] * n
        return pd.Series(out, index=index, dtype=object)
    return pd.DataFrame({k: column(v) for k, v in columns.items()}, index=index, copy=False)


def text_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns (pandas 3's str dtype) as Python objects."""
    text = [c for c, t in frame.dtypes.items() if isinstance(t, pd.StringDtype)]
    return frame.astype({c: object for c in text}) if text else frame
