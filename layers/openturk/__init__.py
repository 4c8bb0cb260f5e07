"""openturk: a self-hosted Amazon Mechanical Turk (the shared layer every handler imports)."""
