-- Full-text search over the knowledge base: an FTS5 index kept in step with kb_articles by triggers
-- (external content, so the text is stored once). Porter stemming: "downloading invoices" finds "Download an invoice".
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(title, body, content='kb_articles', content_rowid='rowid', tokenize='porter unicode61');
--> statement-breakpoint
CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE OF title, body ON kb_articles BEGIN
  INSERT INTO kb_articles_fts(kb_articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO kb_articles_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
--> statement-breakpoint
-- Owners and Admins see and answer every ticket of their organization.
UPDATE roles SET permissions = json_insert(permissions, '$[#]', 'support:manage') WHERE id IN ('rol_builtin_owner', 'rol_builtin_admin');
