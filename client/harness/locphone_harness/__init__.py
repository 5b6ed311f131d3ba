"""locphone-harness: builds a site out of network namespaces, runs its
emergency-call scenarios, reports what each delivered (SITE.md)."""
