"""pandas as the package uses it, and tables built from Python data with text kept as
Python objects.

Every module of the package takes ``pd`` from here, so the one setting below is made
before any table exists.  pandas 3 stores the text it infers in Arrow when pyarrow is
installed (as it is with the default install, for the column-wise reading of long logs):
each of the small tables a refresh makes — column labels included — then goes through
Arrow, which at a school's size costs a tenth of the whole refresh.  Python storage is
what pandas 3 uses without pyarrow; the large log columns are read as Arrow dictionaries
and kept as categoricals, which this setting does not touch.

pandas 3 also makes text it is handed Arrow-or-Python ``str`` columns: every later filter,
lookup and ``to_dict`` then converts element by element (several times the cost of object
columns at a million rows), and a missing text becomes NaN, not None.  The tables of this
project hold text, dates, lists and numbers together, as pandas 2 kept them; the helpers
below make them so under either version.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

pd.set_option("mode.string_storage", "python")


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
        return pd.Series(out, index=index, dtype=object, copy=False)     # made here: not copied again
    return pd.DataFrame({k: column(v) for k, v in columns.items()}, index=index, copy=False)


def text_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns (pandas 3's str dtype) as Python objects."""
    text = [c for c, t in frame.dtypes.items() if isinstance(t, pd.StringDtype)]
    return frame.astype({c: object for c in text}) if text else frame
