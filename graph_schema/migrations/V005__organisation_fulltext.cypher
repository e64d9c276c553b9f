// Full-text search over organisations' names and descriptions (GraphQL `organisations(search:)`).
// Lucene's standard analyser: case-insensitive, word-based; the service escapes Lucene's syntax.
CREATE FULLTEXT INDEX organisation_text IF NOT EXISTS FOR (n:Organisation) ON EACH [n.name, n.description];
