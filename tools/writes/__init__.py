"""Safe writes: proposals the model makes, applied only when their proposer confirms them."""
