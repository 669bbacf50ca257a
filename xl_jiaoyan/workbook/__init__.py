"""New workbooks: the empty template (init) and the sample semester (init --sample)."""
