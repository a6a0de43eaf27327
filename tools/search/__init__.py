"""Interaction search: lexical full text and semantic vectors fused inside the asker's scope.

`hybrid.search_interactions_hybrid` is the entry point; `lexical` owns the full-text SQL
(migration 0020), `fusion` the rank fusion and cut-off, `query` reads time, kind and people
words, `summary` writes the sentence that goes before the list.
"""
