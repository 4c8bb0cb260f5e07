"""Data access: PynamoDB models, one module per aggregate, each listing its access patterns."""
