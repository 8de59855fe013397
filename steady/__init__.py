"""What every app of Steady shares: the vocabulary (steady.vocabulary). A leaf: it imports no app."""
