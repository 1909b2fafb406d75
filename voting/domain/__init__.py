"""Pure rules of congress procedure: standard library only, integer arithmetic."""
