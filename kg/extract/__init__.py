"""Drafts from articles: rule-based, offline extraction of a record from an article's text, every
fact with its quote and offsets (draft: the record; article: text and spans; lexicon: gazetteers;
documents, fields, facts, people: what is read), and its scoring against curated records (scoring).
May import kg.graph, kg.records and kg.base."""
