"""The models of the content files' sentences (`cards/content/*.yaml`), one module per file, checked at start-up."""
