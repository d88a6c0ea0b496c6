"""The documents an edition's results produce: the press release (page, Markdown, PDF), one
certificate per laureate and the deliberation minutes. Each module gathers its content from the
database in a fixed number of queries; the views decide who may see it (embargo, organisers)."""
