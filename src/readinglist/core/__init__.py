"""Pure domain: ids, paper records, operations, clocks. Standard library only."""
