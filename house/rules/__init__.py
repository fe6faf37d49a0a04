"""House rules: numbered, versioned per house, and signed by each resident."""
