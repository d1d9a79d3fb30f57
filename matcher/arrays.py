"""numpy array types of the solver modules (imports numpy: not for the cheap modules, e.g. domain)."""

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
# Integer arrays whose width varies (int32 values, int64 or intp indices from numpy):
IntegerArray = npt.NDArray[np.integer[Any]]
# Index arrays: int64 where the matcher builds them, intp where numpy returns them (argsort, ...).
Indices = npt.NDArray[np.integer[Any]]
