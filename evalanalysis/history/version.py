"""The report reader's version, apart from the reader so a warm index can check its cache without loading it."""

# Bump when the reader (reader.py and the modules it reads with) changes what it extracts:
# cached records of older versions are re-read.
PARSER_VERSION = 11  # 8: maintainer corrections (`actions --reclassify`); 9: run ids of any shape;
# 10: corrected pass rates, and each finding's error text kept in the cache; 11: prior findings carry it
