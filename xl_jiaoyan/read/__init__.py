"""Read: sheet grids from an adapter -> tables with Excel row numbers, per the contract."""
