"""The LLM machinery every provider plugin shares: the prompt and its data fences, the token budget,
the answer schemas and their validation, the result cache, retries, synthesis, and the masking of
secrets. A provider plugin subclasses `base.LLMClassifier` and says only how to call its API; the
names it needs are exported from the `evalanalysis` package root."""
